import { signIdentity } from '../../subgraphs/common/identity';
import type { UpstreamIdentity } from '../subscriptions/upstream';
import { effectiveIdentity, type Identity } from './identity';

/**
 * Signs the identity a subgraph request runs as (see subgraphs/common/identity.ts). Without
 * IDENTITY_SIGNING_SECRET nothing is forwarded and subgraphs serve everyone as staff (embedded development);
 * anonymous callers are forwarded too (sub null, no scopes), so a subgraph can tell them from a forgery.
 */
export function identityForwarder(secret: string | undefined, fallback: Identity | undefined): ((context: unknown) => string | null) {
  return (context) => {
    if (!secret) return null;
    const identity = effectiveIdentity(context, fallback) ?? { sub: null, scopes: [] };
    return signIdentity(identity, secret);
  };
}

/** The same, for a subscription's upstream socket: keyed by rights so that only equal identities share a socket. */
export function upstreamIdentity(secret: string | undefined, identity: Identity | undefined): UpstreamIdentity | undefined {
  if (!secret) return undefined;
  const forwarded = identity ?? { sub: null, scopes: [] };
  const key = JSON.stringify([forwarded.sub ?? null, forwarded.tenant ?? null, [...forwarded.scopes].sort()]);
  return { key, sign: () => signIdentity(forwarded, secret) };
}

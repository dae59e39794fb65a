/**
 * Who is calling, as the gateway's authentication verified it (the auth plugin puts it on the Apollo context
 * and on the subscription context as `identity`). `undefined` is an anonymous caller.
 */
export interface Identity {
  /** null (or absent identity) for an anonymous caller: the auth plugin's ANONYMOUS. */
  sub?: string | null;
  scopes: string[];
  /** A partner's customer id; absent for staff. */
  tenant?: string;
}

export interface IdentityCarrier {
  identity?: Identity;
}

/** The scope catalogue (README "Access"); the dev identity holds all of them. */
export { ALL_SCOPES } from '../../subgraphs/common/scopes';
import { ALL_SCOPES } from '../../subgraphs/common/scopes';

/**
 * Outside production, with no way to verify a token configured (neither AUTH_JWT_SECRET nor AUTH_JWKS_URL),
 * `npm start` serves a person without a token as this staff identity holding every scope. Production refuses
 * to start without auth configured, so it never applies there.
 */
export const DEV_IDENTITY: Identity = Object.freeze({ sub: 'dev', scopes: [...ALL_SCOPES] }) as Identity;

export function devIdentityApplies(production: boolean, authConfigured: boolean): boolean {
  return !production && !authConfigured;
}

export function isAnonymous(identity: Identity | undefined): identity is undefined {
  return !identity || identity.sub === null;
}

/**
 * The identity a request runs as: the verified one, else (anonymous) the fallback — the dev identity when it
 * applies — else undefined, which every @authenticated or @requiresScopes element refuses as UNAUTHENTICATED.
 */
export function effectiveIdentity(context: unknown, fallback: Identity | undefined): Identity | undefined {
  const identity = (context as IdentityCarrier | null | undefined)?.identity;
  return isAnonymous(identity) ? fallback : identity;
}

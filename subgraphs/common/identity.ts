import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ErrorCode } from '../../schema/error-codes';

/**
 * The caller's identity, forwarded by the gateway to the subgraphs in `x-forge-identity`:
 * `base64url(JSON {sub, scopes, tenant, exp})` `.` `base64url(HMAC-SHA256(secret, that first part))`.
 * The gateway verified the JWT; subgraphs only check that the header comes from a gateway (the shared secret)
 * and has not expired, then scope their rows by `tenant`. Expiry is short (FORWARDED_TTL_S): a header seen in a
 * log or a capture is useless a minute later.
 */
export const IDENTITY_HEADER = 'x-forge-identity';
export const FORWARDED_TTL_S = 60;

export interface ForwardedIdentity {
  sub: string | null;
  scopes: string[];
  /** A partner's customer id: every read is scoped to it. Absent for staff. */
  tenant?: string;
  /** Epoch seconds. */
  exp: number;
}

/** Spread into a process's env schema. Set on the gateway and every subgraph, or on none. */
export const identityEnv = {
  IDENTITY_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
};

export function signIdentity(
  identity: { sub?: string | null; scopes: readonly string[]; tenant?: string },
  secret: string,
  nowMs = Date.now(),
  ttlS = FORWARDED_TTL_S,
): string {
  const claims: ForwardedIdentity = { sub: identity.sub ?? null, scopes: [...identity.scopes], exp: Math.floor(nowMs / 1000) + ttlS };
  if (identity.tenant) claims.tenant = identity.tenant;
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** The identity a header carries, or an Error saying why it is refused (missing, forged, expired, malformed). */
export function verifyIdentity(header: string | undefined, secret: string, nowMs = Date.now()): ForwardedIdentity | Error {
  if (!header) return new Error(`missing ${IDENTITY_HEADER}`);
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) return new Error(`malformed ${IDENTITY_HEADER}`);
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return new Error(`${IDENTITY_HEADER} has a bad signature`);
  let claims: ForwardedIdentity;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ForwardedIdentity;
  } catch {
    return new Error(`malformed ${IDENTITY_HEADER}`);
  }
  if (typeof claims.exp !== 'number' || !Array.isArray(claims.scopes)) return new Error(`malformed ${IDENTITY_HEADER}`);
  if (claims.exp * 1000 < nowMs) return new Error(`${IDENTITY_HEADER} has expired`);
  if (claims.tenant !== undefined && (typeof claims.tenant !== 'string' || claims.tenant === '')) return new Error(`malformed ${IDENTITY_HEADER}`);
  return claims;
}

/**
 * For a subgraph's context factory: without a secret configured, requests are trusted as staff (embedded
 * development, unit tests) and null is returned; with one, a request lacking a valid header is refused with
 * UNAUTHENTICATED and HTTP 401.
 */
export function requestIdentity(req: Pick<http.IncomingMessage, 'headers'>, secret: string | undefined): ForwardedIdentity | null {
  if (!secret) return null;
  const raw = req.headers[IDENTITY_HEADER];
  const verified = verifyIdentity(Array.isArray(raw) ? raw[0] : raw, secret);
  if (verified instanceof Error) throw unauthenticated(verified.message);
  return verified;
}

/** The same check on a graphql-ws connection_init: `connectionParams[x-forge-identity]`. */
export function connectionIdentity(params: Readonly<Record<string, unknown>> | undefined, secret: string | undefined): ForwardedIdentity | null | Error {
  if (!secret) return null;
  const raw = params?.[IDENTITY_HEADER];
  return verifyIdentity(typeof raw === 'string' ? raw : undefined, secret);
}

export function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(`request refused: ${reason}`, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

export function forbidden(reason: string): GraphQLError {
  return new GraphQLError(reason, { extensions: { code: ErrorCode.FORBIDDEN } });
}

/** The tenant rows are scoped to: a partner's customer id, undefined for staff (and unsigned development). */
export function tenantOf(identity: ForwardedIdentity | null | undefined): string | undefined {
  return identity?.tenant;
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';

/** A token that was presented and refused; `reason` is safe to show the client. */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * A readable reason for a jose failure, chosen by its stable `code` (and `claim`), never its internal message.
 * Unknown failures read as "invalid token" so nothing about the verifier leaks.
 */
export function reasonFor(error: unknown): string {
  if (error instanceof AuthError) return error.reason;
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'nbf') return 'token not yet valid';
      if (claim === 'aud') return 'wrong audience';
      if (claim === 'iss') return 'wrong issuer';
      if (claim === 'iat') return 'token issued in the future';
      return claim ? `token is missing or has an invalid "${claim}" claim` : 'invalid token claims';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'signing algorithm not accepted';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'unknown signing key';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed token';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return 'signing keys unavailable';
    default:
      return 'invalid token';
  }
}

/** What an HTTP caller gets for a refused token: 401, `UNAUTHENTICATED`, the reason in the message. */
export function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(`unauthenticated: ${reason}`, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
  });
}

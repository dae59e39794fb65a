import type { JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import type { AuthConfig } from './config';
import { AuthError, reasonFor } from './errors';
import { identityFromClaims, type Identity } from './identity';

export interface TokenVerifier {
  /** The identity in a valid token; rejects with AuthError (a client-safe reason) otherwise. */
  verify(token: string): Promise<Identity>;
  /** Seconds of clock skew tolerated, also applied when a socket outlives its token. */
  readonly clockToleranceS: number;
}

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
let josePromise: Promise<Jose> | undefined;
/** jose is ESM-only: loaded on first use, so this module (and the gateway) stays importable from CommonJS. */
const loadJose = () => (josePromise ??= import('jose'));

/**
 * Verifies JWTs with an HS256 secret (dev) and/or a remote JWKS (production). Algorithms are pinned: HS256 only
 * with the secret, the configured asymmetric list only with the JWKS, `none` never. `exp` and `sub` are required.
 */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const algorithms = [...(config.jwtSecret ? ['HS256'] : []), ...(config.jwksUrl ? config.jwksAlgorithms : [])];
  let getKey: Promise<JWTVerifyGetKey> | undefined;
  const keys = () =>
    (getKey ??= loadJose().then((jose) => {
      const secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : undefined;
      const jwks = config.jwksUrl
        ? jose.createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: config.jwksCooldownMs, timeoutDuration: 5000 })
        : undefined;
      return async (header, token) => {
        if (header.alg === 'HS256') {
          if (!secret) throw new AuthError('signing algorithm not accepted');
          return secret;
        }
        if (!jwks) throw new AuthError('signing algorithm not accepted');
        return jwks(header, token);
      };
    }));

  return {
    clockToleranceS: config.clockToleranceS,
    async verify(token) {
      if (algorithms.length === 0) throw new AuthError('this gateway has no token verification configured');
      const jose = await loadJose();
      try {
        const { payload } = await jose.jwtVerify(token, await keys(), {
          algorithms,
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: config.clockToleranceS,
          requiredClaims: ['sub', 'exp'],
        });
        return identityFromClaims(payload as Record<string, unknown>);
      } catch (error) {
        throw error instanceof AuthError ? error : new AuthError(reasonFor(error));
      }
    },
  };
}

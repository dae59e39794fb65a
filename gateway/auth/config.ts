import { z } from 'zod';
import { StartupProblem } from '../../subgraphs/common/service-process';

const list = z
  .string()
  .optional()
  .transform((text) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/** An empty variable (`AUTH_JWKS_URL=` in a compose file) counts as unset. */
const unsetIfEmpty = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

/** Authentication and HTTP hardening variables, spread into GatewayEnv. */
export const authEnv = {
  /** HS256 secret for dev tokens (`npm run token`); at least 32 characters. */
  AUTH_JWT_SECRET: unsetIfEmpty(z.string().min(32, 'must be at least 32 characters').optional()),
  /** Production: the identity provider's JWKS; keys are cached and re-fetched when an unknown `kid` shows up. */
  AUTH_JWKS_URL: unsetIfEmpty(z.string().url().optional()),
  /** Asymmetric algorithms accepted from the JWKS (HS256 is only ever accepted with AUTH_JWT_SECRET). */
  AUTH_JWKS_ALGORITHMS: z
    .string()
    .default('RS256,ES256')
    .transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((algs) => algs.length > 0 && algs.every((a) => /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/.test(a)), {
      message: 'a comma-separated list of asymmetric JWS algorithms (RS256, ES256, PS256, EdDSA, …)',
    }),
  /** Least time between two JWKS fetches (a token with an unknown kid triggers one). */
  AUTH_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  /** When set, the `iss` claim must equal it. */
  AUTH_ISSUER: unsetIfEmpty(z.string().min(1).optional()),
  /** When set, the `aud` claim must contain it. */
  AUTH_AUDIENCE: unsetIfEmpty(z.string().min(1).optional()),
  /** Seconds of clock skew tolerated on `exp` / `nbf`. */
  AUTH_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(5),
  /** Browser origins allowed to call the graph (`https://a.example,https://b.example`, or `*`); empty: none. */
  CORS_ORIGINS: list,
};

export interface AuthConfig {
  jwtSecret?: string;
  jwksUrl?: string;
  jwksAlgorithms: string[];
  jwksCooldownMs: number;
  issuer?: string;
  audience?: string;
  clockToleranceS: number;
}

type AuthEnv = z.infer<z.ZodObject<typeof authEnv>>;

export function authConfig(raw: AuthEnv): AuthConfig {
  return {
    jwtSecret: raw.AUTH_JWT_SECRET,
    jwksUrl: raw.AUTH_JWKS_URL,
    jwksAlgorithms: raw.AUTH_JWKS_ALGORITHMS,
    jwksCooldownMs: raw.AUTH_JWKS_COOLDOWN_MS,
    issuer: raw.AUTH_ISSUER,
    audience: raw.AUTH_AUDIENCE,
    clockToleranceS: raw.AUTH_CLOCK_TOLERANCE_S,
  };
}

export function authConfigured(auth: Partial<AuthConfig> | undefined): boolean {
  return Boolean(auth?.jwtSecret || auth?.jwksUrl);
}

/** Production never runs without a way to verify tokens. */
export function assertProductionAuth(production: boolean, auth: Partial<AuthConfig> | undefined): void {
  if (production && !authConfigured(auth)) {
    throw new StartupProblem('NODE_ENV=production needs authentication: set AUTH_JWKS_URL (or AUTH_JWT_SECRET); neither is set');
  }
}

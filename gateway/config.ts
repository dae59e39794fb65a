import path from 'node:path';
import { z } from 'zod';
import { port } from '../subgraphs/common/config';
import { serviceEnv } from '../subgraphs/common/service-process';
import { repoRoot } from '../subgraphs/common/repo-root';
import { authConfig, authEnv } from './auth/config';
import { limitsConfig, limitsEnv } from './limits/config';
import { identityEnv } from '../subgraphs/common/identity';

const subgraphList = z
  .string()
  .transform((text, ctx) => {
    const entries: Record<string, string> = {};
    for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [name, url] = part.split('=', 2);
      if (!name || !url || !/^https?:\/\//.test(url)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${part}" is not name=http(s)://url` });
        return z.NEVER;
      }
      entries[name] = url;
    }
    return entries;
  });

const optionalUrl = z.string().url().optional();

export const GatewayEnv = z.object({
  GATEWAY_PORT: port(4000),
  ...serviceEnv,
  /** The supergraph to serve; by default the committed, composed one. */
  SUPERGRAPH_PATH: z.string().default(path.join(repoRoot(), 'schema', 'supergraph.graphql')),
  /** When set, compose at start from these running subgraphs instead (`erp=http://…,mes=http://…`). */
  SUBGRAPHS: subgraphList.optional(),
  /** Override the routing URL the supergraph gives for a subgraph (other ports or hosts). */
  SUBGRAPH_URL_ERP: optionalUrl,
  SUBGRAPH_URL_MES: optionalUrl,
  /** How long to wait for one subgraph fetch before giving up on it (partial data, typed error). */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How often the supergraph file is checked for a new version (0: never reload). */
  SUPERGRAPH_POLL_MS: z.coerce.number().int().min(0).default(1000),
  /** forge: forge's plan runner and result shaping; apollo: @apollo/gateway's own executor for every request. */
  GATEWAY_EXECUTOR: z.enum(['forge', 'apollo']).default('forge'),
  /** Events a subscriber may fall behind before it is closed as a slow consumer (it can resume). */
  SUBSCRIPTION_BUFFER: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Hydration operations at once per selection and rights; events arriving meanwhile go together in the next (still delivered in order). */
  SUBSCRIPTION_HYDRATION_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * Entity answers the cache rules allow (gateway/cache/cacheable-fetch.ts) are kept at most this long, and only
   * while their invalidating event stream is connected; 0 turns the cache off.
   */
  ENTITY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Entities the cache keeps (least recently used go first). */
  ENTITY_CACHE_MAX_ENTITIES: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  /** AUTH_* (JWT verification) and CORS_ORIGINS: see gateway/auth/config.ts. */
  ...authEnv,
  /** Shared with the subgraphs: signs the caller's identity forwarded to them (subgraphs/common/identity.ts). */
  ...identityEnv,
  /** Operation limits, body/batch sizes, rate limiting, persisted operations: see gateway/limits/config.ts. */
  ...limitsEnv,
});

export type GatewayConfig = ReturnType<typeof gatewayConfig>;

export function gatewayConfig(raw: z.infer<typeof GatewayEnv>) {
  const urlOverrides: Record<string, string> = {};
  if (raw.SUBGRAPH_URL_ERP) urlOverrides.erp = raw.SUBGRAPH_URL_ERP;
  if (raw.SUBGRAPH_URL_MES) urlOverrides.mes = raw.SUBGRAPH_URL_MES;
  return {
    port: raw.GATEWAY_PORT,
    host: raw.HOST,
    production: raw.NODE_ENV === 'production',
    supergraphPath: raw.SUPERGRAPH_PATH,
    subgraphs: raw.SUBGRAPHS,
    urlOverrides,
    subgraphTimeoutMs: raw.SUBGRAPH_TIMEOUT_MS,
    supergraphPollMs: raw.SUPERGRAPH_POLL_MS,
    executor: raw.GATEWAY_EXECUTOR,
    subscriptionBuffer: raw.SUBSCRIPTION_BUFFER,
    hydrationConcurrency: raw.SUBSCRIPTION_HYDRATION_CONCURRENCY,
    entityCache: { ttlMs: raw.ENTITY_CACHE_TTL_MS, maxEntities: raw.ENTITY_CACHE_MAX_ENTITIES },
    auth: authConfig(raw),
    identitySigningSecret: raw.IDENTITY_SIGNING_SECRET,
    corsOrigins: raw.CORS_ORIGINS,
    limits: limitsConfig(raw),
  };
}

import { z } from 'zod';
import { DEFAULT_COST_OPTIONS } from './analyze';
import { DEFAULT_OPERATION_LIMITS, type OperationLimitOptions } from './check';

const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Gateway variables for limits, persisted operations and rate limiting (README "Configuration"). */
export const limitsEnv = {
  MAX_QUERY_DEPTH: count(DEFAULT_OPERATION_LIMITS.maxDepth),
  MAX_QUERY_ALIASES: count(DEFAULT_OPERATION_LIMITS.maxAliases),
  MAX_QUERY_ROOT_FIELDS: count(DEFAULT_OPERATION_LIMITS.maxRootFields),
  MAX_QUERY_COST: count(DEFAULT_OPERATION_LIMITS.maxCost),
  COST_DEFAULT_PAGE_SIZE: count(DEFAULT_COST_OPTIONS.defaultPageSize),
  COST_DEFAULT_LIST_SIZE: count(DEFAULT_COST_OPTIONS.defaultListSize),
  /** Lexical tokens one document may have (graphql-js parse `maxTokens`): bounds parsing and validation work. */
  MAX_QUERY_TOKENS: count(50_000),
  MAX_BODY_BYTES: count(1024 * 1024),
  MAX_VARIABLES_BYTES: count(DEFAULT_OPERATION_LIMITS.maxVariablesBytes),
  /** Operations per batched HTTP request; 1 turns Apollo batching off. */
  MAX_BATCH_OPERATIONS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Take the client address for rate limits from `x-forwarded-for` (only behind a proxy you run). */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_BURST: count(100),
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('forge:ratelimit'),
  PERSISTED_OPERATIONS_PATH: z.string().min(1).optional(),
  PERSISTED_OPERATIONS_MODE: z.enum(['off', 'allowlist', 'tenants']).default('off'),
  /** Shared rate-limit buckets (and the MES event bus); buckets in memory when unset. */
  REDIS_URL: z.string().url().optional(),
};

type LimitsEnv = z.infer<z.ZodObject<typeof limitsEnv>>;

export interface LimitsConfig {
  operationLimits: OperationLimitOptions;
  maxQueryTokens: number;
  maxBodyBytes: number;
  maxBatchOperations: number;
  trustProxy: boolean;
  rateLimit: { perMinute: number; burst: number; keyPrefix: string; redisUrl?: string };
  persisted: { mode: 'off' | 'allowlist' | 'tenants'; manifestPath?: string };
}

export function limitsConfig(raw: LimitsEnv): LimitsConfig {
  return {
    operationLimits: {
      maxDepth: raw.MAX_QUERY_DEPTH,
      maxAliases: raw.MAX_QUERY_ALIASES,
      maxRootFields: raw.MAX_QUERY_ROOT_FIELDS,
      maxCost: raw.MAX_QUERY_COST,
      maxVariablesBytes: raw.MAX_VARIABLES_BYTES,
      cost: { ...DEFAULT_COST_OPTIONS, defaultPageSize: raw.COST_DEFAULT_PAGE_SIZE, defaultListSize: raw.COST_DEFAULT_LIST_SIZE },
    },
    maxQueryTokens: raw.MAX_QUERY_TOKENS,
    maxBodyBytes: raw.MAX_BODY_BYTES,
    maxBatchOperations: raw.MAX_BATCH_OPERATIONS,
    trustProxy: raw.TRUST_PROXY === 'true',
    rateLimit: {
      perMinute: raw.RATE_LIMIT_PER_MINUTE,
      burst: raw.RATE_LIMIT_BURST,
      keyPrefix: raw.RATE_LIMIT_KEY_PREFIX,
      redisUrl: raw.REDIS_URL,
    },
    persisted: { mode: raw.PERSISTED_OPERATIONS_MODE, manifestPath: raw.PERSISTED_OPERATIONS_PATH },
  };
}

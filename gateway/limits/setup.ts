import type { HTTPGraphQLRequest } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type http from 'node:http';
import { PersistedManifest } from '../persisted/manifest';
import { MemoryRateLimiter, unlimited, type RateLimiter } from '../rate-limit/token-bucket';
import { resolvePersisted } from '../persisted/resolve';
import { createAdmission, precheckOperation, remoteAddress, type CallerIdentity } from './admission';
import { checkOperation, DEFAULT_OPERATION_LIMITS } from './check';
import type { LimitsConfig } from './config';

export interface GatewayLimits {
  /** Spread into the ApolloServer config. */
  apollo: { allowBatchedHttpRequests: boolean; parseOptions: { maxTokens: number } };
  maxBodyBytes: number;
  /** The client address to put on the context (rate limits of anonymous callers). */
  remoteAddress(req: http.IncomingMessage): string;
  /** Call in the context factory; throws the refusal (rate limit, batch size, persisted operations). */
  admit(request: HTTPGraphQLRequest | undefined, identity: CallerIdentity | undefined, remoteAddress: string): Promise<void>;
  /** The same checks for a graphql-ws subscribe message, before graphql-ws parses and validates it. */
  precheck(payload: SubscribePayload, identity: CallerIdentity | undefined): GraphQLError | undefined;
  close(): Promise<void>;
}

/** Everything of gateway/limits, persisted/ and rate-limit/ from one config, with safe defaults. */
export function setupLimits(
  config: Partial<LimitsConfig>,
  warn: (message: string) => void,
  /** The current API schema (undefined until the supergraph is loaded). */
  schema: () => GraphQLSchema | undefined,
): GatewayLimits {
  const limits = config.operationLimits ?? DEFAULT_OPERATION_LIMITS;
  const maxBatchOperations = config.maxBatchOperations ?? 10;
  const persistedMode = config.persisted?.mode ?? 'off';
  const manifestPath = config.persisted?.manifestPath;
  if (persistedMode !== 'off' && !manifestPath) {
    throw new Error(`PERSISTED_OPERATIONS_MODE=${persistedMode} needs PERSISTED_OPERATIONS_PATH (the manifest)`);
  }
  const manifest = manifestPath ? PersistedManifest.load(manifestPath) : PersistedManifest.empty();
  const rateLimiter = createRateLimiter(config.rateLimit, warn);
  const maxTokens = config.maxQueryTokens ?? 50_000;
  const admissionCheck = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined) => {
    const current = schema();
    return current ? checkOperation({ schema: current, document, operationName, variables }, limits) : undefined;
  };
  const admission = createAdmission({
    maxBatchOperations,
    persisted: { mode: persistedMode, manifest },
    rateLimiter,
    maxTokens,
    checkOperation: admissionCheck,
  });

  return {
    apollo: { allowBatchedHttpRequests: maxBatchOperations > 1, parseOptions: { maxTokens } },
    maxBodyBytes: config.maxBodyBytes ?? 1024 * 1024,
    remoteAddress: (req) => remoteAddress(req, config.trustProxy ?? false),
    admit: (request, identity, address) => admission(request, { identity, remoteAddress: address }),
    precheck(payload, identity) {
      // Persisted ids are an HTTP feature; over the socket the allowlist applies to the document sent.
      const op: Record<string, unknown> = { ...payload };
      try {
        resolvePersisted(op, { mode: persistedMode, manifest }, identity?.tenant ?? undefined);
        const refusal = precheckOperation(op, admissionCheck, maxTokens);
        return refusal && withoutHttp(refusal);
      } catch (error) {
        return withoutHttp(error as GraphQLError);
      }
    },
    close: () => rateLimiter.close(),
  };
}

function createRateLimiter(options: LimitsConfig['rateLimit'] | undefined, warn: (message: string) => void): RateLimiter {
  const perMinute = options?.perMinute ?? 600;
  const burst = options?.burst ?? 100;
  if (perMinute === 0) return unlimited;
  if (!options?.redisUrl) return new MemoryRateLimiter({ perMinute, burst });
  let lastWarning = 0;
  // Loaded only when configured: the Redis client's modules are a sixth of a fresh gateway's memory.
  const { RedisRateLimiter } = require('../rate-limit/redis-bucket') as typeof import('../rate-limit/redis-bucket');
  return RedisRateLimiter.start({
    perMinute,
    burst,
    url: options.redisUrl,
    keyPrefix: options.keyPrefix,
    // Fail open, and say so at most every 10 s rather than once per request.
    onUnavailable(error) {
      if (Date.now() - lastWarning < 10_000) return;
      lastWarning = Date.now();
      warn(`rate limiting is not enforced (Redis unavailable, requests pass): ${(error as Error)?.message ?? String(error)}`);
    },
  });
}

/** The socket has no HTTP status: drop `extensions.http` before graphql-ws sends the error. */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}

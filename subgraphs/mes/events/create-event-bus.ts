import { z } from 'zod';
import { DEFAULT_RETENTION, type EventBus, type Retention } from './event-bus';
import { InMemoryEventBus } from './in-memory-event-bus';
import { RedisEventBus, type RedisEventBusOptions } from './redis-event-bus';

export interface EventBusOptions {
  /** Set: Redis Streams shared by every instance. Unset: in memory, this process only (the embedded default). */
  redisUrl?: string;
  keyPrefix?: string;
  retention?: Retention;
  logger?: RedisEventBusOptions['logger'];
}

/** Same code paths either way; only the adapter differs (DESIGN §1, embedded default vs scale-out). */
export async function createEventBus(options: EventBusOptions = {}): Promise<EventBus> {
  const retention = options.retention ?? DEFAULT_RETENTION;
  if (!options.redisUrl) return new InMemoryEventBus({ retention });
  return RedisEventBus.connect({ url: options.redisUrl, keyPrefix: options.keyPrefix, retention, logger: options.logger });
}

/** Environment fragment for every process that publishes or subscribes (spread into its zod env object). */
export const eventBusEnv = {
  // An empty REDIS_URL= (common in .env files and compose) means "not set", not "invalid URL".
  REDIS_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .url()
      .refine((url) => /^rediss?:\/\//.test(url), 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  EVENT_RETENTION_COUNT: z.coerce.number().int().min(1).default(DEFAULT_RETENTION.maxEvents),
  EVENT_RETENTION_AGE_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_RETENTION.maxAgeMs / 1000),
  EVENT_STREAM_PREFIX: z.string().min(1).default('forge:events'),
};

export type EventBusConfig = z.infer<z.ZodObject<typeof eventBusEnv>>;

export function eventBusOptionsFrom(config: EventBusConfig): EventBusOptions {
  return {
    redisUrl: config.REDIS_URL,
    keyPrefix: config.EVENT_STREAM_PREFIX,
    retention: { maxEvents: config.EVENT_RETENTION_COUNT, maxAgeMs: config.EVENT_RETENTION_AGE_SECONDS * 1000 },
  };
}

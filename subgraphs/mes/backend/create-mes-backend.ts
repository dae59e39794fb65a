import { z } from 'zod';
import type { Logger } from 'pino';
import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import type { EventBus } from '../events/event-bus';
import type { MesBackend } from './mes-backend';
import { DEFAULT_SCHEMA, PostgresMesBackend } from './postgres/postgres-mes-backend';
import { startOutboxRelay, type OutboxRelay } from './postgres/outbox-relay';

/** Environment fragment of the MES process (spread into its zod env object). */
export const mesBackendEnv = {
  // Empty means unset (as REDIS_URL): the in-memory mock, the embedded default.
  DATABASE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().url().refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgres:// or postgresql:// URL').optional(),
  ),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,50}$/, 'must be a plain lower-case PostgreSQL identifier').default(DEFAULT_SCHEMA),
};

export interface MesBackendConfig {
  databaseUrl?: string;
  databaseSchema?: string;
  /** The seeded world: what the mock serves, and what an empty PostgreSQL store is loaded with. */
  seed: number;
  scale: number;
  anchor: Date;
  logger: Logger;
}

export interface MesStore {
  backend: MesBackend;
  /**
   * Starts publishing the backend's stored events to `events` (a no-op for the mock, whose writes are
   * published by the caller). Call once the bus exists.
   */
  startPublishing(events: EventBus): void;
  /** Stops the relay, then closes the connections. */
  close(): Promise<void>;
}

/** DATABASE_URL set: the persistent PostgreSQL store with its outbox relay. Unset: the in-memory mock. */
export async function createMesBackend(config: MesBackendConfig): Promise<MesStore> {
  const world = { seed: config.seed, scale: config.scale, anchor: config.anchor };
  if (!config.databaseUrl) {
    return { backend: createMockMesBackend(world), startPublishing: () => undefined, close: async () => undefined };
  }
  const backend = await PostgresMesBackend.open({ connectionString: config.databaseUrl, schema: config.databaseSchema, seed: world });
  config.logger.info({ schema: backend.schema }, 'MES store: PostgreSQL');
  let relay: OutboxRelay | null = null;
  return {
    backend,
    startPublishing(events) {
      relay ??= startOutboxRelay(backend.pool, events, {
        schema: backend.schema,
        onError: (error) => config.logger.warn({ err: error }, 'outbox relay failed; retrying'),
      });
    },
    async close() {
      await relay?.stop();
      await backend.close();
    },
  };
}

import type { Pool, PoolClient } from 'pg';
import type { EventBus } from '../../events/event-bus';
import type { EventStream } from '../../events/event-types';
import { outboxChannel } from './outbox';

export interface OutboxRelayOptions {
  schema: string;
  /** Fallback poll while leading (a NOTIFY can be missed across a reconnect), and standby retry interval. */
  pollMs?: number;
  /** Rows read per round trip. */
  batchSize?: number;
  onError?: (error: unknown) => void;
}

export interface OutboxRelay {
  /** Publishes everything unpublished now (tests; also what a NOTIFY triggers). Resolves with the count. */
  drain(): Promise<number>;
  /** True while this relay holds the relay lock. */
  isLeader(): boolean;
  stop(): Promise<void>;
}

export const relayLockKey = (schema: string) => `forge-mes-outbox-relay:${schema}`;

/**
 * Publishes committed outbox rows to the EventBus in id order and marks them published.
 *
 * One relay at a time: each MES instance runs one, but only the one holding a session advisory lock on its own
 * connection publishes; the others retry the lock every poll. A single publisher keeps each stream in the order
 * the rows were written, which row-level SKIP LOCKED between instances would not. The lock lives as long as
 * the connection, so a crashed leader's lock is freed by PostgreSQL and a standby takes over within a poll.
 *
 * Woken by LISTEN/NOTIFY (the write transaction notifies on commit), with a slow poll as fallback.
 *
 * Delivery is at least once: a row is marked after its publish succeeded, so a crash (or a failed UPDATE)
 * between the two publishes that row again on the next drain. Each row is marked on its own, so that window
 * is at most one event per crash. Id order is allocation order, not commit order: a transaction that
 * commits later with a smaller id is published when it commits (nothing is skipped), slightly out of id order.
 */
export function startOutboxRelay(pool: Pool, bus: EventBus, options: OutboxRelayOptions): OutboxRelay {
  const pollMs = options.pollMs ?? 5_000;
  const batchSize = options.batchSize ?? 200;
  const onError = options.onError ?? (() => undefined);
  let stopped = false;
  let leader: PoolClient | null = null;
  let wake: (() => void) | null = null;
  /** A NOTIFY that arrived while draining: drain again at once instead of waiting a whole poll. */
  let notified = false;
  let draining: Promise<number> | null = null;

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (notified || stopped) return resolve();
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  /** One drain at a time, whoever asks (NOTIFY, poll, test): concurrent drains would publish a row twice. */
  const drain = (): Promise<number> => {
    if (!leader) return Promise.resolve(0);
    draining ??= drainWith(leader).finally(() => (draining = null));
    return draining;
  };

  async function drainWith(client: PoolClient): Promise<number> {
    let published = 0;
    for (;;) {
      const { rows } = await client.query(
        'SELECT id, stream, payload FROM event_outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
        [batchSize],
      );
      for (const row of rows) {
        if (stopped) return published;
        await bus.publish(row.stream as EventStream, row.payload);
        await client.query('UPDATE event_outbox SET published_at = now() WHERE id = $1', [row.id]);
        published += 1;
      }
      if (rows.length < batchSize) return published;
    }
  }

  async function becomeLeader(): Promise<PoolClient | null> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [relayLockKey(options.schema)]);
      if (!rows[0].locked) {
        client.release();
        return null;
      }
      client.on('notification', () => {
        notified = true;
        wake?.();
      });
      await client.query(`LISTEN "${outboxChannel(options.schema)}"`);
      return client;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        if (!leader) leader = await becomeLeader();
        notified = false;
        if (leader) await drain();
      } catch (error) {
        onError(error);
        // A broken connection: destroy it (which frees the lock) and compete for leadership again.
        leader?.release(true);
        leader = null;
      }
      if (!stopped) await sleep();
    }
  })();

  return {
    drain,
    isLeader: () => leader !== null,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await draining?.catch(() => undefined);
      // Destroying the connection ends LISTEN and frees the lock for another instance at once.
      leader?.release(true);
      leader = null;
    },
  };
}

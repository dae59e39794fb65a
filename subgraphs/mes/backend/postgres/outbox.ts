import type { PoolClient } from 'pg';
import type { PendingEvent } from '../../events/event-types';

/** NOTIFY channels are per database, not per schema: the schema in the name keeps test schemas apart. */
export const outboxChannel = (schema: string) => `${schema}_outbox`;

/**
 * Stores a write's events in the write's own transaction (the outbox), in the given order, and wakes the relay.
 * NOTIFY is transactional: the relay hears it only once the rows are committed, and never for a rollback.
 */
export async function writeOutbox(client: PoolClient, schema: string, events: readonly PendingEvent[] | undefined): Promise<void> {
  if (!events || events.length === 0) return;
  await client.query(
    `INSERT INTO event_outbox (stream, payload)
     SELECT u.stream, u.payload FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS u(stream, payload, n) ORDER BY u.n`,
    [events.map((event) => event.stream), events.map((event) => JSON.stringify(event.payload))],
  );
  await client.query('SELECT pg_notify($1, $2)', [outboxChannel(schema), '']);
}

import type { Pool } from 'pg';
import { inTransaction } from './sql';

/**
 * Numbered, append-only: a migration that has run is never edited; a change is a new entry. Statements run
 * with search_path set to the store's schema, so no table name is schema-qualified.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'mes store',
    sql: `
      -- ISO-8601 UTC text with milliseconds, the format every record carries (JSON output of nested rows).
      CREATE FUNCTION iso(value timestamptz) RETURNS text LANGUAGE sql IMMUTABLE
        AS $$ SELECT to_char(value AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

      CREATE TABLE machines (
        id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL, site text NOT NULL, area text NOT NULL, work_center text NOT NULL,
        ideal_cycle_time_seconds double precision NOT NULL,
        state text NOT NULL, state_since timestamptz NOT NULL, reason_code text, loss_category text,
        current_work_order_id text COLLATE "C"
      );
      CREATE INDEX machines_work_center ON machines (work_center);

      -- id (insertion order) breaks ties between rows at the same instant, as the mocks' append order does.
      CREATE TABLE state_intervals (
        id bigserial PRIMARY KEY,
        machine_id text COLLATE "C" NOT NULL REFERENCES machines (id),
        state text NOT NULL, reason_code text, loss_category text,
        from_at timestamptz NOT NULL, to_at timestamptz
      );
      CREATE INDEX state_intervals_machine ON state_intervals (machine_id, from_at, id);

      CREATE TABLE production_counts (
        id bigserial PRIMARY KEY,
        machine_id text COLLATE "C" NOT NULL REFERENCES machines (id),
        work_order_id text COLLATE "C", at timestamptz NOT NULL, good integer NOT NULL, scrap integer NOT NULL
      );
      CREATE INDEX production_counts_machine ON production_counts (machine_id, at, id);

      CREATE TABLE work_orders (
        id text COLLATE "C" PRIMARY KEY,
        erp_reference text NOT NULL, number text NOT NULL,
        sales_order_id text COLLATE "C" NOT NULL, sku text COLLATE "C" NOT NULL,
        quantity_planned integer NOT NULL, quantity_good integer NOT NULL, quantity_scrap integer NOT NULL,
        status text NOT NULL,
        scheduled_start timestamptz NOT NULL, scheduled_end timestamptz NOT NULL,
        actual_start timestamptz, actual_end timestamptz
      );
      CREATE INDEX work_orders_sales_order ON work_orders (sales_order_id);
      CREATE INDEX work_orders_sku ON work_orders (sku);
      CREATE INDEX work_orders_schedule ON work_orders (scheduled_start, length(id), id);

      -- position: the operation's place in the work order's list, which is the order records carry.
      CREATE TABLE operations (
        work_order_id text COLLATE "C" NOT NULL REFERENCES work_orders (id),
        position integer NOT NULL,
        sequence integer NOT NULL, name text NOT NULL, work_center text NOT NULL,
        machine_id text COLLATE "C" NOT NULL,
        status text NOT NULL, started_at timestamptz, ended_at timestamptz,
        PRIMARY KEY (work_order_id, position)
      );
      CREATE INDEX operations_machine ON operations (machine_id);

      CREATE TABLE lots (
        lot_number text COLLATE "C" PRIMARY KEY,
        sku text COLLATE "C" NOT NULL, quantity double precision NOT NULL, unit_of_measure text NOT NULL,
        produced_by_work_order_id text COLLATE "C", created_at timestamptz NOT NULL
      );
      CREATE INDEX lots_sku ON lots (sku);
      CREATE INDEX lots_produced_by ON lots (produced_by_work_order_id);
      CREATE TABLE lot_consumption (
        lot_number text COLLATE "C" NOT NULL REFERENCES lots (lot_number), position integer NOT NULL,
        work_order_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (lot_number, position)
      );
      CREATE INDEX lot_consumption_work_order ON lot_consumption (work_order_id);
      CREATE TABLE lot_genealogy (
        child_lot_number text COLLATE "C" NOT NULL REFERENCES lots (lot_number), position integer NOT NULL,
        parent_lot_number text COLLATE "C" NOT NULL,
        PRIMARY KEY (child_lot_number, position)
      );
      CREATE INDEX lot_genealogy_parent ON lot_genealogy (parent_lot_number);

      CREATE TABLE inspections (
        id text COLLATE "C" PRIMARY KEY,
        work_order_id text COLLATE "C" NOT NULL, lot_number text COLLATE "C",
        characteristic text NOT NULL, measured_value double precision NOT NULL,
        lower_limit double precision NOT NULL, upper_limit double precision NOT NULL, unit text NOT NULL,
        result text NOT NULL, inspected_at timestamptz NOT NULL, non_conformance_id text COLLATE "C"
      );
      CREATE INDEX inspections_work_order ON inspections (work_order_id);
      CREATE INDEX inspections_lot ON inspections (lot_number);

      CREATE TABLE non_conformances (
        id text COLLATE "C" PRIMARY KEY, number text NOT NULL UNIQUE,
        inspection_id text COLLATE "C" NOT NULL, work_order_id text COLLATE "C" NOT NULL, lot_number text COLLATE "C",
        description text NOT NULL, status text NOT NULL, opened_at timestamptz NOT NULL
      );
      CREATE INDEX non_conformances_work_order ON non_conformances (work_order_id);

      -- The UNIQUE key is the idempotency guarantee: it holds across processes and restarts.
      CREATE TABLE production_reports (
        id text COLLATE "C" PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        work_order_id text COLLATE "C" NOT NULL, machine_id text COLLATE "C",
        good integer NOT NULL, scrap integer NOT NULL, at timestamptz NOT NULL
      );

      -- Id series (QI, NC, PR, NCR-<year>): continued from the seeded data, one row lock per issue.
      CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);

      CREATE TABLE event_outbox (
        id bigserial PRIMARY KEY,
        stream text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX event_outbox_unpublished ON event_outbox (id) WHERE published_at IS NULL;

      -- What the store was seeded from, so a restart with other MOCK_SEED/MOCK_SCALE can say so.
      CREATE TABLE store_meta (key text PRIMARY KEY, value jsonb NOT NULL);
    `,
  },
];

/** Key of the transaction-scoped advisory lock that serialises migration and seeding across MES instances. */
export const migrationLockKey = (schema: string) => `forge-mes-migrate:${schema}`;

/**
 * Brings the schema up to date. Several instances may start at once: each takes the same advisory lock in its
 * transaction, so one migrates while the others wait, then find the versions recorded and skip them.
 * `afterMigrate` runs under the same lock and in the same transaction (seeding), so it also runs once.
 */
export async function migrate(pool: Pool, schema: string, afterMigrate?: (client: import('pg').PoolClient) => Promise<void>): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [migrationLockKey(schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET LOCAL search_path TO "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const ran: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      ran.push(migration.version);
    }
    if (afterMigrate) await afterMigrate(client);
    return ran;
  });
}

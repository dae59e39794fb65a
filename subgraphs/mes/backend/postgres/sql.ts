import type { Pool, PoolClient } from 'pg';
import type { Page, PageResult } from '../../../common/paging';
import { badUserInput } from '../../../common/errors';

/** Anything that runs a query: the pool for single-statement reads, a checked-out client inside a transaction. */
export type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Schema names go into SQL text (search_path, channel names), so only plain identifiers are accepted. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,50}$/;

export function checkSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`DATABASE_SCHEMA "${schema}" must match ${IDENTIFIER} (a plain PostgreSQL identifier)`);
  return schema;
}

/**
 * Ids order like the mocks' compareIds (a shorter id is a smaller number, equal lengths compare as text):
 * `C-9999` < `C-10000`. Id columns use COLLATE "C" so text order is byte order, as in JavaScript.
 */
export const idOrder = (column: string) => `length(${column}), ${column}`;

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** One result per key, in key order; a miss is null (the batch contract). */
export function byKeys<R, T>(rows: readonly R[], keyOf: (row: R) => string, toRecord: (row: R) => T, keys: readonly string[]): (T | null)[] {
  const found = new Map<string, T>();
  for (const row of rows) found.set(keyOf(row), toRecord(row));
  return keys.map((key) => found.get(key) ?? null);
}

/** One list per key, in key order; a miss is []. Rows arrive already in each list's order, tagged with `key`. */
export function groupedByKeys<R extends { key: string }, T>(rows: readonly R[], toRecord: (row: R) => T, keys: readonly string[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.key);
    if (list) list.push(toRecord(row));
    else groups.set(row.key, [toRecord(row)]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * An offset page of `select` in `orderBy` (columns of the select's output): one query returns the page and the
 * total via a window count; only a page past the end needs a second count.
 */
export async function pageOf<R, T>(
  db: Queryable,
  select: string,
  orderBy: string,
  params: unknown[],
  page: Page,
  toRecord: (row: R) => T,
): Promise<PageResult<T>> {
  const offset = Math.max(0, Math.floor(page.offset));
  const limit = Math.max(0, Math.floor(page.limit));
  const n = params.length;
  const { rows } = await db.query(`SELECT *, count(*) OVER () AS total_count FROM (${select}) AS filtered ORDER BY ${orderBy} OFFSET $${n + 1} LIMIT $${n + 2}`, [
    ...params,
    offset,
    limit,
  ]);
  if (rows.length > 0) return { items: rows.map((row) => toRecord(row as R)), totalCount: Number(rows[0].total_count) };
  const counted = await db.query(`SELECT count(*) AS total_count FROM (${select}) AS filtered`, params);
  return { items: [], totalCount: Number(counted.rows[0].total_count) };
}

/** Milliseconds of an ISO instant from a caller; a malformed one is the caller's input error (as in the mocks). */
export function instant(value: string, field: string): Date {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw badUserInput(`"${value}" is not an ISO-8601 date-time`, field);
  return new Date(parsed);
}

export const isoOrNull = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/**
 * Next value of a named counter (ids like QI-000001, yearly NCR numbers). The row lock taken by the upsert is
 * held until commit, so two writers never get the same value and a rolled-back write leaves no gap.
 */
export async function nextCounter(client: PoolClient, name: string): Promise<number> {
  const { rows } = await client.query(
    `INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`,
    [name],
  );
  return Number(rows[0].value);
}

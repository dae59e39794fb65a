import { Client } from 'pg';

/** The PostgreSQL the integration tests use (trust auth in CI and dev containers); POSTGRES_TEST_URL overrides. */
export const POSTGRES_URL = process.env.POSTGRES_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of its own per test file, so files run in parallel and leave nothing behind. */
export function testSchemaName(label: string): string {
  return `t_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

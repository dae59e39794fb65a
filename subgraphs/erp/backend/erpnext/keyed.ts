/** Batch-contract helpers: results in key order, null or [] for a miss, whatever order ERPNext answered in. */

export function inKeyOrder<T>(keys: readonly string[], records: readonly T[], key: (record: T) => string): (T | null)[] {
  const byKey = new Map(records.map((r) => [key(r), r]));
  return keys.map((k) => byKey.get(k) ?? null);
}

export function groupedInKeyOrder<T>(keys: readonly string[], records: readonly T[], groupKey: (record: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const k = groupKey(record);
    const group = groups.get(k);
    if (group) group.push(record);
    else groups.set(k, [record]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/** Child rows grouped by their parent document's `name`. */
export function rowsByParent<R extends Record<string, unknown>>(rows: readonly R[]): Map<string, R[]> {
  const byParent = new Map<string, R[]>();
  for (const row of rows) {
    const parent = String(row.parent);
    const list = byParent.get(parent);
    if (list) list.push(row);
    else byParent.set(parent, [row]);
  }
  return byParent;
}

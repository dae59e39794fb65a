/** Maps a loader result to its GraphQL object, keeping misses as null (unknown keys resolve to null). */
export function mapOrNull<R, N>(record: R | null | undefined, toNode: (record: R) => N): N | null {
  return record === null || record === undefined ? null : toNode(record);
}

/** loadMany yields an Error per failed key; a failed key must fail the field, not vanish silently. */
export function presentOnly<R>(results: readonly (R | null | Error)[]): R[] {
  const out: R[] = [];
  for (const result of results) {
    if (result instanceof Error) throw result;
    if (result !== null) out.push(result);
  }
  return out;
}

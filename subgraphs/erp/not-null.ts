/** Drops the nulls GraphQL passes for explicitly empty arguments, so backend filters only see real criteria. */
export function withoutNulls<T extends object>(value: T | null | undefined): { [K in keyof T]?: Exclude<T[K], null> } {
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value ?? {})) {
    if (entry !== null && entry !== undefined) result[key] = entry;
  }
  return result as { [K in keyof T]?: Exclude<T[K], null> };
}

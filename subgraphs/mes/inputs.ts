type Compacted<T> = { [K in keyof T]?: Exclude<T[K], null | undefined> };

/**
 * GraphQL hands explicit `null` for filter fields a client wrote as null; the backend filters treat a
 * present key as "must equal", so nulls and undefineds are dropped before the call.
 */
export function compact<T extends object>(input: T | null | undefined): Compacted<T> {
  if (!input) return {};
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as Compacted<T>;
}

import { pageBounds, pageOf, type IsoDateTime, type Page, type PageResult } from '../subgraphs/common/paging';
import { badUserInput } from '../subgraphs/common/errors';

/** Helpers shared by the in-memory backends: batch lookups in key order, secondary indexes, offset pages. */

/** One result per key, in key order; a miss is null, as the batch contracts require. */
export function byKeys<T>(records: ReadonlyMap<string, T>, keys: readonly string[]): (T | null)[] {
  return keys.map((key) => records.get(key) ?? null);
}

/** One list per key, in key order; a miss is []. The index holds ids so updated records are always current. */
export function groupedByKeys<T>(index: ReadonlyMap<string, readonly string[]>, keys: readonly string[], records: ReadonlyMap<string, T>): T[][] {
  return keys.map((key) => (index.get(key) ?? []).map((id) => records.get(id)!));
}

/** Appends `id` under `key`; callers add each pair once, in the order the index should list them. */
export function addToIndex(index: Map<string, string[]>, key: string, id: string): void {
  const list = index.get(key);
  if (list) list.push(id);
  else index.set(key, [id]);
}

/**
 * The page of records of `ids` (already in the backend's order) that pass every filter. Only the page is
 * materialised: a large list is counted, not copied. `keep` null means no filter, so the list length is the count.
 */
export function selectOrdered<T>(
  ids: readonly string[],
  records: ReadonlyMap<string, T>,
  keep: ((record: T) => boolean) | null,
  page: Page,
): PageResult<T> {
  if (keep === null) {
    const { items, totalCount } = pageOf(ids, page);
    return { items: items.map((id) => records.get(id)!), totalCount };
  }
  const { offset, end } = pageBounds(page);
  const items: T[] = [];
  let totalCount = 0;
  for (const id of ids) {
    const record = records.get(id)!;
    if (!keep(record)) continue;
    if (totalCount >= offset && totalCount < end) items.push(record);
    totalCount += 1;
  }
  return { items, totalCount };
}

/** Milliseconds of an ISO instant from a caller; a malformed one is the caller's input error. */
export function instant(value: IsoDateTime, field: string): number {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw badUserInput(`"${value}" is not an ISO-8601 date-time`, field);
  return parsed;
}

/** First index in ascending `values` whose value is >= `target` (binary search). */
export function lowerBound(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Inserts `id` into `ids`, kept sorted by `compare`, after any equal entries. */
export function insertSorted(ids: string[], id: string, compare: (a: string, b: string) => number): void {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(ids[mid]!, id) <= 0) low = mid + 1;
    else high = mid;
  }
  ids.splice(low, 0, id);
}

/** Remembers which record an idempotency key created, so a retried write returns it instead of a duplicate. */
export class IdempotencyLedger {
  private readonly created = new Map<string, string>();

  recall(key: string | undefined): string | undefined {
    return key === undefined ? undefined : this.created.get(key);
  }

  remember(key: string | undefined, id: string): void {
    if (key !== undefined) this.created.set(key, id);
  }
}

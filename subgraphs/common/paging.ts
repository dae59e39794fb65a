/** Paging as backends see it: an offset into the filtered list, in the backend's stable order. */
export interface Page {
  offset: number;
  limit: number;
}

export interface PageResult<T> {
  items: T[];
  totalCount: number;
}

/** Timestamps cross every boundary as ISO-8601 UTC strings; resolvers turn them into Date for the scalar. */
export type IsoDateTime = string;

/** Where a page starts and ends in a list (a fractional or negative offset or limit is read as the API clamps it). */
export function pageBounds(page: Page): { offset: number; end: number } {
  const offset = Math.max(0, Math.floor(page.offset));
  return { offset, end: offset + Math.max(0, Math.floor(page.limit)) };
}

/** One offset page of a list already filtered and ordered in memory. */
export function pageOf<T>(items: readonly T[], page: Page): PageResult<T> {
  const { offset, end } = pageBounds(page);
  return { items: items.slice(offset, end), totalCount: items.length };
}

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

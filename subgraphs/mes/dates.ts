import type { IsoDateTime } from '../common/paging';

/** Backend records carry ISO strings; the DateTimeISO scalar is typed as Date on the GraphQL side. */
export function toDate(iso: IsoDateTime): Date {
  return new Date(iso);
}

export function toOptionalDate(iso: IsoDateTime | null): Date | null {
  return iso === null ? null : new Date(iso);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

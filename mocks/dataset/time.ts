import type { IsoDateTime } from '../../subgraphs/common/paging';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Generated timestamps are kept as epoch milliseconds and turned into ISO strings only on the records. */
export const iso = (ms: number): IsoDateTime => new Date(ms).toISOString();

export const ms = (value: IsoDateTime): number => Date.parse(value);

export const yearOf = (msValue: number): number => new Date(msValue).getUTCFullYear();

/** Generated event times are whole seconds, as back-office systems store them. */
export const isoSeconds = (msValue: number): IsoDateTime => iso(Math.round(msValue / 1000) * 1000);

import { yearOf } from './time';

export const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/**
 * Orders ids of one family numerically even when their zero padding grows (`C-9999` < `C-10000`): a shorter
 * id is a smaller number, equal lengths compare as text.
 */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Width of a zero-padded sequence: at least `min` digits, more when the count needs them. */
export const widthFor = (count: number, min: number): number => Math.max(min, String(count).length);

/**
 * ERPNext-style naming series (`SAL-ORD-.YYYY.-.#####`): the counter restarts every year because the year is
 * part of the prefix.
 */
export class YearlySeries {
  private readonly counters = new Map<number, number>();

  constructor(
    private readonly prefix: string,
    private readonly digits = 5,
  ) {}

  next(atMs: number): string {
    const year = yearOf(atMs);
    const value = (this.counters.get(year) ?? 0) + 1;
    this.counters.set(year, value);
    return `${this.prefix}-${year}-${pad(value, this.digits)}`;
  }

  /** Continues each year's counter after the highest reference already issued (`PREFIX-YYYY-NNNNN`). */
  static after(prefix: string, digits: number, references: Iterable<string>): YearlySeries {
    const series = new YearlySeries(prefix, digits);
    // Prefixes are letters and dashes only, so they need no escaping inside the pattern.
    const pattern = new RegExp(`^${prefix}-(\\d{4})-(\\d+)$`);
    for (const reference of references) {
      const match = pattern.exec(reference);
      if (!match) continue;
      const year = Number(match[1]);
      const value = Number(match[2]);
      if (value > (series.counters.get(year) ?? 0)) series.counters.set(year, value);
    }
    return series;
  }
}

/** A plain counter producing `PREFIX-000001`, continuing from the highest id already present. */
export class Sequence {
  private value: number;

  constructor(
    private readonly prefix: string,
    private readonly digits: number,
    start = 0,
  ) {
    this.value = start;
  }

  next(): string {
    this.value += 1;
    return `${this.prefix}-${pad(this.value, this.digits)}`;
  }

  /** Continues after the highest numeric suffix among `ids` (those starting with `prefix-`). */
  static after(prefix: string, digits: number, ids: Iterable<string>): Sequence {
    let highest = 0;
    for (const id of ids) {
      if (!id.startsWith(`${prefix}-`)) continue;
      const value = Number(id.slice(prefix.length + 1));
      if (Number.isInteger(value) && value > highest) highest = value;
    }
    return new Sequence(prefix, digits, highest);
  }
}

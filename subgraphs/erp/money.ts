/**
 * Money stays in floating point only between the backend and the wire; every amount the graph computes is
 * rounded to whole cents, and sums are taken in integer cents so that 0.1 + 0.2 never shows up as 0.30000000000000004.
 */
export function toCents(amount: number): number {
  // toPrecision(15) first: 1.005 * 100 is 100.49999999999999 in binary floating point, and should round up.
  return Math.round(Number((amount * 100).toPrecision(15)));
}

export function roundToCents(amount: number): number {
  return toCents(amount) / 100;
}

/** quantity × unitPrice, rounded to cents: what an ERP prints on an order line. */
export function lineAmount(quantity: number, unitPrice: number): number {
  return roundToCents(quantity * unitPrice);
}

/** Sum of already rounded amounts, so a total always equals the sum of the lines a customer sees. */
export function sumAmounts(amounts: readonly number[]): number {
  return amounts.reduce((cents, amount) => cents + toCents(amount), 0) / 100;
}

/** What a line's amount is made of. */
export interface PricedLine {
  readonly quantity: number;
  readonly unitPrice: number;
}

const totals = new WeakMap<readonly PricedLine[], number>();

/**
 * Sum of the lines' amounts. Backends never change a record's line list in place (a write replaces the record,
 * the mock's records are frozen), so a list's total is computed once and remembered while the list lives: a page
 * of 500 orders re-read by every request costs no rounding after the first.
 */
export function linesTotal(lines: readonly PricedLine[]): number {
  let total = totals.get(lines);
  if (total === undefined) {
    total = sumAmounts(lines.map((line) => lineAmount(line.quantity, line.unitPrice)));
    totals.set(lines, total);
  }
  return total;
}

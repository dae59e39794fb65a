import { lineAmount, linesTotal, roundToCents, sumAmounts } from '../../../subgraphs/erp/money';

describe('ERP money arithmetic', () => {
  it('rounds half a cent up even where binary floating point falls just short', () => {
    expect(roundToCents(1.005)).toBe(1.01);
    expect(roundToCents(2.675)).toBe(2.68);
    expect(roundToCents(1.004999)).toBe(1);
  });

  it('prices a line as quantity × unit price in whole cents', () => {
    expect(lineAmount(7, 20.015)).toBe(140.11);
    expect(lineAmount(3, 0.1)).toBe(0.3);
  });

  it('sums in cents so totals carry no floating point residue', () => {
    expect(sumAmounts([0.1, 0.2])).toBe(0.3);
    expect(sumAmounts([202021.6, 12028.8])).toBe(214050.4);
    expect(sumAmounts([])).toBe(0);
  });

  it('totals lines as the sum of their rounded amounts, per list, the same on every read', () => {
    const lines = Object.freeze([Object.freeze({ quantity: 7, unitPrice: 20.015 }), Object.freeze({ quantity: 3, unitPrice: 0.1 })]);
    expect(linesTotal(lines)).toBe(140.41);
    expect(linesTotal(lines)).toBe(140.41);
    // A replaced record brings a new list: its own total, not the remembered one of a list with other prices.
    const repriced = Object.freeze([lines[0]!, Object.freeze({ quantity: 3, unitPrice: 0.2 })]);
    expect(linesTotal(repriced)).toBe(140.71);
    expect(linesTotal([])).toBe(0);
  });
});

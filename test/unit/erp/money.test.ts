import { lineAmount, roundToCents, sumAmounts } from '../../../subgraphs/erp/money';

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
});

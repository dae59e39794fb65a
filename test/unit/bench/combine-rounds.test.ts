import { combineRounds, type LoadResult } from '../../../bench/http-load';

const turn = (over: Partial<LoadResult>): LoadResult => ({
  requestsPerSecond: 100,
  p50: 10,
  p99: 40,
  errors: 0,
  requests: 1000,
  cpuMsPerRequest: { gateway: 1, erp: 0.5 },
  peakRssMiB: 150,
  ...over,
});

describe('bench turns combined into one row', () => {
  it('averages rates and latencies, sums counts, keeps the highest peak and weighs CPU by requests', () => {
    const row = combineRounds([
      turn({ requestsPerSecond: 100, p50: 10, p99: 41, requests: 1000, errors: 1, cpuMsPerRequest: { gateway: 1, erp: 0.5 }, peakRssMiB: 150 }),
      turn({ requestsPerSecond: 300, p50: 20, p99: 60, requests: 3000, errors: 2, cpuMsPerRequest: { gateway: 2, erp: 1.5 }, peakRssMiB: 170 }),
    ]);
    expect(row).toMatchObject({ requestsPerSecond: 200, p50: 15, p99: 51, requests: 4000, errors: 3, peakRssMiB: 170 });
    expect(row.cpuMsPerRequest.gateway).toBeCloseTo((1 * 1000 + 2 * 3000) / 4000, 10);
    expect(row.cpuMsPerRequest.erp).toBeCloseTo((0.5 * 1000 + 1.5 * 3000) / 4000, 10);
  });

  it('leaves memory out when no turn watched a process', () => {
    expect(combineRounds([turn({ peakRssMiB: null })]).peakRssMiB).toBeNull();
  });
});

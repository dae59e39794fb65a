import autocannon from 'autocannon';
import { cpuSecondsOf, rssMiB } from './proc-stats';
import type { Request } from './scenarios';

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /**
   * CPU milliseconds each watched process spent per request during the measured run: unlike requests/s, this
   * hardly moves when other work shares the machine, so it shows where the time goes (gateway vs subgraphs).
   */
  cpuMsPerRequest: Record<string, number>;
  /** Highest resident memory of `rssPid` sampled every 100 ms during the measured run (null: not watched). */
  peakRssMiB: number | null;
  /** forge: share of entity lookups its cache answered during the turn, warm-up included (absent: no cache). */
  entityCacheHitRate?: number;
}

/**
 * Checks the request once (a GraphQL error would make every measurement meaningless), warms up, then measures
 * with a fixed number of connections for a fixed time.
 */
export async function measure(url: string, request: Request, options: LoadOptions, watch: Record<string, number> = {}, rssPid?: number): Promise<LoadResult> {
  const body = JSON.stringify(request);
  const probe = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = (await probe.json()) as { errors?: { message: string }[] };
  if (!probe.ok || answer.errors?.length) throw new Error(`${url} answered ${probe.status}: ${JSON.stringify(answer.errors)}`);

  const run = (duration: number) =>
    autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: options.connections, duration });
  if (options.warmupSeconds > 0) await run(options.warmupSeconds);
  const before = cpuSecondsOf(watch);
  let peakRssMiB: number | null = rssPid ? rssMiB(rssPid) : null;
  const sampler = rssPid ? setInterval(() => (peakRssMiB = Math.max(peakRssMiB ?? 0, rssMiB(rssPid))), 100) : null;
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run(options.durationSeconds);
  } finally {
    if (sampler) clearInterval(sampler);
  }
  const total = Math.max(1, result.requests.total);
  const after = cpuSecondsOf(watch);
  const cpuMsPerRequest = Object.fromEntries(Object.keys(watch).map((name) => [name, ((after[name]! - before[name]!) * 1000) / total]));
  return {
    cpuMsPerRequest,
    peakRssMiB,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/**
 * Several turns of one target as one row: requests/s, p50 and p99 are the means of the turns, errors and
 * requests their sums, peak RSS the highest, CPU per request the total CPU over all requests.
 */
export function combineRounds(results: LoadResult[]): LoadResult {
  const mean = (value: (r: LoadResult) => number) => results.reduce((total, r) => total + value(r), 0) / results.length;
  const requests = results.reduce((total, r) => total + r.requests, 0);
  const cpuMsPerRequest: Record<string, number> = {};
  for (const name of Object.keys(results[0]?.cpuMsPerRequest ?? {})) {
    cpuMsPerRequest[name] = results.reduce((total, r) => total + (r.cpuMsPerRequest[name] ?? 0) * r.requests, 0) / Math.max(1, requests);
  }
  const peaks = results.map((r) => r.peakRssMiB).filter((v): v is number => v !== null);
  const peakRssMiB = peaks.length ? Math.max(...peaks) : null;
  const hitRates = results.map((r) => r.entityCacheHitRate).filter((v): v is number => v !== undefined);
  return {
    ...(hitRates.length ? { entityCacheHitRate: hitRates.reduce((a, b) => a + b, 0) / hitRates.length } : {}),
    requestsPerSecond: mean((r) => r.requestsPerSecond),
    p50: Math.round(mean((r) => r.p50)),
    p99: Math.round(mean((r) => r.p99)),
    errors: results.reduce((total, r) => total + r.errors, 0),
    requests,
    cpuMsPerRequest,
    peakRssMiB,
  };
}

import autocannon from 'autocannon';
import fs from 'node:fs';
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
}

/**
 * Checks the request once (a GraphQL error would make every measurement meaningless), warms up, then measures
 * with a fixed number of connections for a fixed time.
 */
export async function measure(url: string, request: Request, options: LoadOptions): Promise<LoadResult> {
  const body = JSON.stringify(request);
  const probe = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = (await probe.json()) as { errors?: { message: string }[] };
  if (!probe.ok || answer.errors?.length) throw new Error(`${url} answered ${probe.status}: ${JSON.stringify(answer.errors)}`);

  const run = (duration: number) =>
    autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: options.connections, duration });
  if (options.warmupSeconds > 0) await run(options.warmupSeconds);
  const result = await run(options.durationSeconds);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/** Resident memory of a process in MiB (Linux). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

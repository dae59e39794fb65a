import type { FanOutResult } from './subscription-load';

export interface Row {
  scenario: string;
  /** forge-nocache: forge as shipped but with its entity cache off (ENTITY_CACHE_TTL_MS=0). */
  target: 'direct' | 'plain' | 'forge' | 'forge-nocache';
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** Highest resident memory of the gateway during the row's turns (null: not watched, e.g. direct). */
  peakRssMiB: number | null;
  cpuMsPerRequest: Record<string, number>;
  /** forge's entity cache: share of lookups answered from it (absent: no cache on this target). */
  entityCacheHitRate?: number;
}

const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : '—');
const cpu = (ms: number | undefined) => (ms === undefined ? '—' : ms.toFixed(2));

/** CPU both subgraphs spent per request of this row (for direct rows: the one called, plus the idle other). */
function subgraphsCpu(row: Row): number | undefined {
  const { erp, mes } = row.cpuMsPerRequest ?? {};
  return erp === undefined || mes === undefined ? undefined : erp + mes;
}

/** One line per scenario and target, then the ratios the targets are judged by (forge/plain, forge/direct). */
function lines(rows: Row[]): string[][] {
  const out = [['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'peak RSS MiB', 'gateway CPU ms/req', 'subgraphs CPU ms/req', 'req/s vs plain', 'p99 vs plain', 'p99 vs direct', 'gateway CPU vs plain', 'entity cache hits']];
  for (const row of rows) {
    const of = (target: Row['target']) => rows.find((r) => r.scenario === row.scenario && r.target === target);
    const forge = row.target === 'forge' || row.target === 'forge-nocache';
    out.push([
      row.scenario,
      row.target,
      row.requestsPerSecond.toFixed(0),
      String(row.p50),
      String(row.p99),
      String(row.errors),
      row.peakRssMiB === null ? '—' : String(row.peakRssMiB),
      cpu(row.cpuMsPerRequest?.gateway),
      cpu(subgraphsCpu(row)),
      forge ? ratio(row.requestsPerSecond, of('plain')?.requestsPerSecond) : '',
      forge ? ratio(row.p99, of('plain')?.p99) : '',
      forge ? ratio(row.p99, of('direct')?.p99) : '',
      forge ? ratio(row.cpuMsPerRequest?.gateway, of('plain')?.cpuMsPerRequest?.gateway) : '',
      row.entityCacheHitRate === undefined ? '' : `${(row.entityCacheHitRate * 100).toFixed(1)}%`,
    ]);
  }
  return out;
}

export function renderTable(rows: Row[]): string {
  const table = lines(rows);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  return table.map((line) => line.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

/** The subscription fan-out run, against its targets (p99 < 250 ms, 0 lost, RSS < 1.5 GB). */
export function renderFanOut(r: FanOutResult): string {
  const others = Object.entries(r.otherCpuPercent ?? {}).map(([name, cpu]) => `${name} ${cpu}%`).join(', ');
  const closes = Object.entries(r.closes ?? {}).map(([code, n]) => `${n}× ${code}`).join(', ');
  return [
    `subscriptions: ${r.subscribers} subscribers (one machine each, ${r.machines} machines), ${r.eventsPublished} events published`,
    `  delivered ${r.deliveriesReceived}/${r.deliveriesExpected} (lost ${r.lost}, duplicates ${r.duplicates}, out of order ${r.outOfOrder}, ` +
      `wrong machine ${r.wrongMachine}, errors ${r.errors}${closes ? `, closed early: ${closes}` : ''})`,
    `  latency event → receipt p50 ${r.latencyP50} ms, p99 ${r.latencyP99} ms, max ${r.latencyMax} ms`,
    `  gateway RSS ${r.gatewayRssMiB} MiB (max), CPU ${r.gatewayCpuPercent}% (${r.gatewayCpuMicrosPerDelivery} µs per delivery)${others ? `; other CPU: ${others}` : ''}`,
  ].join('\n');
}

export function renderMarkdown(meta: Record<string, unknown>, rows: Row[], fanOut: FanOutResult | null, notes: string): string {
  const table = lines(rows);
  const md = [`| ${table[0]!.join(' | ')} |`, `|${table[0]!.map(() => '---').join('|')}|`, ...table.slice(1).map((l) => `| ${l.join(' | ')} |`)];
  const settings = Object.entries(meta).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return [
    '# forge benchmark results',
    '',
    'Written by `npm run bench` (see bench/run.ts); one run, same subgraph processes for every target.',
    `Settings: ${settings}.`,
    '',
    ...md,
    '',
    '## Subscription fan-out',
    '',
    '```',
    fanOut ? renderFanOut(fanOut) : 'skipped (BENCH_SUBSCRIBERS=0)',
    '```',
    '',
    notes || '<!-- notes -->\n',
  ].join('\n');
}

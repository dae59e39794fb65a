import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags';
import { ManagedProcess, startProcess, waitUntilReady } from '../gateway/stack/child-process';
import { schemaFile } from '../schema/compose';
import { loadConfig } from '../subgraphs/common/config';
import { repoRoot } from '../subgraphs/common/repo-root';
import { combineRounds, LoadOptions, LoadResult, measure } from './http-load';
import { generateWorld } from '../mocks/dataset';
import { nodeFlagsOf } from './proc-stats';
import { renderFanOut, renderMarkdown, renderTable, Row } from './report';
import { fanOut } from './subscription-load';
import { scenarios } from './scenarios';

/**
 * `npm run bench`: one run, the same subgraph processes, three targets side by side — the subgraph called
 * directly (lower bound), a stock @apollo/gateway ("plain"), and forge's gateway. BENCH_SMOKE=1 is a few-second
 * version that `npm test` runs so the benchmark cannot rot; it writes its results to a temporary folder.
 */
const BenchEnv = z.object({
  BENCH_SMOKE: z.enum(['0', '1']).default('0'),
  BENCH_SCALE: z.coerce.number().int().min(10).optional(),
  BENCH_SEED: z.coerce.number().int().default(42),
  BENCH_DURATION: z.coerce.number().int().min(1).optional(),
  BENCH_WARMUP: z.coerce.number().int().min(0).optional(),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).default(10),
  BENCH_OUT: z.string().optional(),
  /** Subscription fan-out: subscribers on one gateway, machine events per second, seconds of publishing. */
  BENCH_SUBSCRIBERS: z.coerce.number().int().min(0).optional(),
  BENCH_EVENT_RATE: z.coerce.number().int().min(1).optional(),
  BENCH_SUBSCRIPTION_SECONDS: z.coerce.number().int().min(1).optional(),
  /** Worker threads receiving the fan-out's frames (the load client must not be the bottleneck). */
  BENCH_SUBSCRIPTION_WORKERS: z.coerce.number().int().min(1).max(16).optional(),
  /** 0 skips the HTTP scenarios (and the plain gateway): subscription-only runs while profiling. */
  BENCH_HTTP: z.enum(['0', '1']).default('1'),
  /** Turns each of plain and forge gets per scenario (alternating who goes first); rows are their means. */
  BENCH_ROUNDS: z.coerce.number().int().min(1).max(10).optional(),
  /** Node flags of forge's gateway, space-separated; shipped ones by default (set to '' to compare without). */
  BENCH_FORGE_NODE_FLAGS: z.string().optional(),
});

async function main(): Promise<void> {
  const env = loadConfig(BenchEnv);
  const smoke = env.BENCH_SMOKE === '1';
  // 25,000 orders: the smallest world with the 100 machines the fan-out spreads its subscribers over.
  const scale = env.BENCH_SCALE ?? (smoke ? 200 : 25_000);
  const load: LoadOptions = {
    connections: smoke ? 2 : env.BENCH_CONNECTIONS,
    durationSeconds: env.BENCH_DURATION ?? (smoke ? 1 : 10),
    warmupSeconds: env.BENCH_WARMUP ?? (smoke ? 0 : 3),
  };
  const rounds = env.BENCH_ROUNDS ?? (smoke ? 1 : 2);
  const out = env.BENCH_OUT ?? (smoke ? fs.mkdtempSync(path.join(os.tmpdir(), 'forge-bench-')) : path.join(repoRoot(), 'bench'));
  const dist = path.join(repoRoot(), 'dist');
  const processes: ManagedProcess[] = [];
  const start = async (
    name: string,
    script: string,
    extra: (port: number) => NodeJS.ProcessEnv,
    ready: (port: number) => Promise<void>,
    nodeFlags: readonly string[] = [],
  ) => {
    const port = await freePort();
    const proc = startProcess({
      name,
      script: path.join(dist, script),
      nodeFlags,
      env: { ...process.env, MOCK_SEED: String(env.BENCH_SEED), MOCK_SCALE: String(scale), LOG_LEVEL: 'warn', SIMULATOR_RATE: '0', PORT: String(port), ...extra(port) },
      echo: false,
    });
    processes.push(proc);
    await ready(port).catch((error) => {
      throw new Error(`${name}: ${(error as Error).message}`);
    });
    const stop = async () => {
      await proc.stop();
      processes.splice(processes.indexOf(proc), 1);
    };
    return { port, proc, url: `http://localhost:${port}/graphql`, stop };
  };
  const extra = (variable: string) => (port: number) => ({ [variable]: String(port) });

  try {
    process.stdout.write(`forge bench: scale ${scale}, ${load.connections} connections, ${load.durationSeconds}s per run\n`);
    const health = (proc: () => ManagedProcess, route: string) => (port: number) => waitUntilReady(proc(), `http://localhost:${port}${route}`, 120_000);
    const last = () => processes[processes.length - 1]!;
    const [erp, mes] = await Promise.all([
      start('erp', 'subgraphs/erp/main.js', extra('ERP_PORT'), health(() => processes.find((p) => p.name === 'erp')!, '/health')),
      start('mes', 'subgraphs/mes/main.js', extra('MES_PORT'), health(() => processes.find((p) => p.name === 'mes')!, '/health')),
    ]);
    const subgraphEnv = { SUBGRAPH_URL_ERP: erp.url, SUBGRAPH_URL_MES: mes.url };
    // As shipped, except a rate limit far above what the load generator sends: the limiter still runs on every
    // request, but a benchmark client is one identity and would otherwise be throttled by design.
    const unthrottled = { RATE_LIMIT_PER_MINUTE: '100000000', RATE_LIMIT_BURST: '100000000' };
    const forgeFlags: readonly string[] = env.BENCH_FORGE_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? GATEWAY_NODE_FLAGS;
    let forgeNodeFlags = '';
    // Each gateway turn gets a new process: a gateway's memory depends on its history (heap limits V8 raised
    // under an earlier load, or lowered while idle), so peak RSS is only comparable between processes that
    // start alike.
    const startForge = async (extraEnv: NodeJS.ProcessEnv = {}) => {
      const forge = await start('forge', 'gateway/main.js', (port) => ({ GATEWAY_PORT: String(port), ...subgraphEnv, ...unthrottled, ...extraEnv }), health(last, '/health/ready'), forgeFlags);
      forgeNodeFlags = nodeFlagsOf(forge.proc.child.pid!).join(' ');
      return forge;
    };
    const startPlain = async () => {
      const plain = await start(
        'plain',
        'bench/plain-gateway.js',
        () => ({ SUPERGRAPH_PATH: schemaFile('supergraph'), PLAIN_SUBGRAPH_URLS: `erp=${erp.url},mes=${mes.url}` }),
        (port) => waitForGraphQL(`http://localhost:${port}/`),
      );
      return { ...plain, url: `http://localhost:${plain.port}/` };
    };
    const http = env.BENCH_HTTP === '1';

    const rows: Row[] = [];
    for (const scenario of http ? scenarios(env.BENCH_SEED, scale) : []) {
      const directUrl = scenario.direct.subgraph === 'erp' ? erp.url : mes.url;
      const subgraphPids = { erp: erp.proc.child.pid!, mes: mes.proc.child.pid! };
      const run = async (url: string, request = scenario.gateway, pid?: number): Promise<LoadResult> =>
        measure(url, request, load, pid ? { gateway: pid, ...subgraphPids } : subgraphPids, pid);
      const turn = async (gateway: Awaited<ReturnType<typeof startForge>>): Promise<LoadResult> => {
        try {
          const result = await run(gateway.url, scenario.gateway, gateway.proc.child.pid);
          const hitRate = await entityCacheHitRate(gateway.port);
          return hitRate === undefined ? result : { ...result, entityCacheHitRate: hitRate };
        } finally {
          await gateway.stop();
        }
      };
      const row = (target: Row['target'], results: LoadResult[]): Row => ({ scenario: scenario.name, target, ...combineRounds(results) });
      // Every target takes a turn per round, in an order that swaps each round, so that none always runs on a
      // machine another has just warmed (or loaded), and a slow stretch of this shared machine lands on all of
      // them; each row is the mean of its turns. The direct call takes turns too: the ratios to it are targets.
      // forge-nocache is forge with its entity cache off, so the table shows what the cache buys; it also runs
      // every request through the subgraphs, as a shop floor busy enough to invalidate everything would.
      const directRuns: LoadResult[] = [];
      const plainRuns: LoadResult[] = [];
      const forgeRuns: LoadResult[] = [];
      const uncachedRuns: LoadResult[] = [];
      for (let round = 0; round < rounds; round++) {
        const turns = [
          async () => directRuns.push(await run(directUrl, scenario.direct.request)),
          async () => plainRuns.push(await turn(await startPlain())),
          async () => forgeRuns.push(await turn(await startForge())),
          async () => uncachedRuns.push(await turn(await startForge({ ENTITY_CACHE_TTL_MS: '0' }))),
        ];
        for (const next of round % 2 === 0 ? turns : turns.reverse()) await next();
      }
      rows.push(row('direct', directRuns), row('plain', plainRuns), row('forge', forgeRuns), row('forge-nocache', uncachedRuns));
    }

    // BENCH_SUBSCRIBERS=0 skips the subscription fan-out (HTTP-only runs while profiling).
    const subscribers = env.BENCH_SUBSCRIBERS ?? (smoke ? 10 : 10_000);
    const world = subscribers > 0 ? generateWorld({ seed: env.BENCH_SEED, scale }) : null;
    const fanOutGateway = world ? await startForge() : null;
    const fanOutResult = world
      ? await fanOut({
          gatewayUrl: fanOutGateway!.url,
          mesUrl: mes.url,
          machineIds: world.mes.machines.slice(0, 100).map((m) => m.id),
          subscribers,
          eventsPerSecond: env.BENCH_EVENT_RATE ?? (smoke ? 20 : 1000),
          durationSeconds: env.BENCH_SUBSCRIPTION_SECONDS ?? (smoke ? 2 : 10),
          gatewayPid: fanOutGateway!.proc.child.pid!,
          otherPids: { mes: mes.proc.child.pid!, erp: erp.proc.child.pid! },
          workers: env.BENCH_SUBSCRIPTION_WORKERS ?? (smoke ? 1 : 2),
          log: smoke ? undefined : (line) => process.stdout.write(`${line}\n`),
        })
      : null;

    const meta = { date: new Date().toISOString(), scale, smoke, http, rounds, forgeNodeFlags, ...load, node: process.version, cpus: os.cpus().length };
    process.stdout.write(`\n${renderTable(rows)}\n\n${fanOutResult ? renderFanOut(fanOutResult) : 'subscriptions: skipped (BENCH_SUBSCRIBERS=0)'}\n`);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'results.json'), `${JSON.stringify({ meta, rows, subscriptions: fanOutResult }, null, 2)}\n`);
    fs.writeFileSync(path.join(out, 'RESULTS.md'), renderMarkdown(meta, rows, fanOutResult, readNotes(out)));
    process.stdout.write(`\nwrote ${path.join(out, 'results.json')} and RESULTS.md\n`);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
}

/** forge reports its entity cache's counts on its health route; plain has none (its route is not there). */
async function entityCacheHitRate(port: number): Promise<number | undefined> {
  try {
    const res = await fetch(`http://localhost:${port}/health/ready`);
    const body = (await res.json()) as { entityCache?: { hits?: number; misses?: number } | 'off' };
    const stats = body.entityCache;
    if (!stats || stats === 'off' || typeof stats.hits !== 'number' || typeof stats.misses !== 'number') return undefined;
    // No lookups at all (an operation with nothing cacheable): no rate to report.
    return stats.hits + stats.misses > 0 ? stats.hits / (stats.hits + stats.misses) : undefined;
  } catch {
    return undefined;
  }
}

/** Findings written by hand (profiles, what each optimisation bought) survive re-runs: kept below a marker. */
function readNotes(out: string): string {
  const file = path.join(out, 'RESULTS.md');
  if (!fs.existsSync(file)) return '';
  const text = fs.readFileSync(file, 'utf8');
  const marker = text.indexOf('<!-- notes -->');
  return marker < 0 ? '' : text.slice(marker);
}

async function waitForGraphQL(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

main().catch((error: Error) => {
  process.stderr.write(`forge bench: ${error.message}\n`);
  process.exit(1);
});

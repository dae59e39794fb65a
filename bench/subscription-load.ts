import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { cpuSecondsOf, rssMiB } from './proc-stats';
import { HISTOGRAM_MS, type FromWorker, type ToWorker, type WorkerInput, type WorkerReport } from './subscription-worker';

export interface FanOutOptions {
  gatewayUrl: string;
  mesUrl: string;
  machineIds: string[];
  subscribers: number;
  eventsPerSecond: number;
  durationSeconds: number;
  gatewayPid: number;
  /** CPU of these is reported too (where the time goes besides the gateway). */
  otherPids?: Record<string, number>;
  /** Worker threads receiving the frames. */
  workers: number;
  /** Set: a line per second while measuring (published, delivered, CPU of each process): where the time goes. */
  log?: (line: string) => void;
}

export interface FanOutResult {
  subscribers: number;
  machines: number;
  eventsPublished: number;
  deliveriesExpected: number;
  deliveriesReceived: number;
  lost: number;
  /** Received beyond what was expected, out of order, or for another machine: all must be 0. */
  duplicates: number;
  outOfOrder: number;
  wrongMachine: number;
  errors: number;
  closes: Record<string, number>;
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  gatewayRssMiB: number;
  gatewayCpuPercent: number;
  /** Gateway CPU time (user + system) per delivered frame, over the measured window: comparable across loads. */
  gatewayCpuMicrosPerDelivery: number;
  /** CPU % of the other processes (mes, erp, the load client itself) over the same window. */
  otherCpuPercent: Record<string, number>;
}

/** Every subscriber selects ERP fields (the sales order's customer) in MES events. */
const SELECTION = `subscription($m: [ID!]) { machineStatusChanged(machineIds: $m) {
  eventId state machine { id name currentWorkOrder { number salesOrder { number customer { name } } } } } }`;

/**
 * N subscribers on the gateway, each watching ONE machine (spread evenly over the machines), while machine
 * states change at R per second in total through the MES's own write path (recordMachineState).
 *
 * - Exact loss check: after a warm-up (every subscriber has received an event, so every one has joined), events
 *   published on the bus from T0 on are measured (an event id starts with the bus's wall-clock ms). A subscriber
 *   must receive exactly the measured events of its machine, in order, once each.
 * - Latency: event time (the event id's ms, when the MES published it) → receipt by the subscriber.
 * - The subscribers live in worker threads (bench/subscription-worker.ts), so the load client spreads over cores.
 * - Publishing: one aliased mutation document per batch with everything due, one batch in flight at a time, so a
 *   machine's changes are applied in order; each change differs from the machine's current state (IDLE with a
 *   fresh reason code, then RUNNING, …), so each one is an event.
 */
export async function fanOut(options: FanOutOptions): Promise<FanOutResult> {
  const machines = options.machineIds;
  const assignments = Array.from({ length: options.subscribers }, (_, i) => machines[i % machines.length]!);
  const workerCount = Math.max(1, Math.min(options.workers, options.subscribers));
  const workers = Array.from({ length: workerCount }, (_, w) => {
    const input: WorkerInput = {
      url: options.gatewayUrl.replace(/^http/, 'ws'),
      query: SELECTION,
      machineIds: assignments.filter((_, i) => i % workerCount === w),
      connectConcurrency: 100,
    };
    return new WorkerClient(new Worker(workerScript(), { workerData: input }), input.machineIds);
  });
  const publisher = new Publisher(options.mesUrl, machines);
  try {
    const connected = await Promise.all(workers.map((w) => w.connected));
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (failed > 0) throw new Error(`${failed} of ${options.subscribers} subscribers could not connect`);

    // Warm-up: publish a change per machine until every subscriber has received one (then it has joined).
    const warmDeadline = Date.now() + 60_000 + options.subscribers * 5;
    for (;;) {
      await publisher.publish(machines);
      await sleep(500);
      const joined = (await Promise.all(workers.map((w) => w.progress()))).reduce((n, p) => n + p.subscribersWithEvents, 0);
      if (joined === options.subscribers) break;
      if (Date.now() > warmDeadline) throw new Error(`only ${joined} of ${options.subscribers} subscribers received warm-up events`);
    }
    await sleep(1000); // warm-up events delivered before the measured window opens
    const from = Date.now() + 1;
    for (const w of workers) w.send({ type: 'measure', from });
    await sleep(Math.max(2, from - Date.now() + 2));
    publisher.countFrom();

    const pids = { gateway: options.gatewayPid, ...options.otherPids, client: process.pid };
    const cpuBefore = cpuSecondsOf(pids);
    const wallBefore = Date.now();
    let maxRss = rssMiB(options.gatewayPid);
    const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMiB(options.gatewayPid))), 500);
    const timeline = options.log ? startTimeline(options.log, workers, publisher, pids) : null;

    await publisher.run(options.eventsPerSecond, options.durationSeconds);
    const expectedPer = publisher.counted;
    const expected = assignments.reduce((n, machineId) => n + (expectedPer.get(machineId) ?? 0), 0);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const received = (await Promise.all(workers.map((w) => w.progress()))).reduce((n, p) => n + p.received, 0);
      if (received >= expected || Date.now() > deadline) break;
      await sleep(200);
    }
    const seconds = (Date.now() - wallBefore) / 1000;
    const cpuAfter = cpuSecondsOf(pids);
    const gatewayCpuSeconds = cpuAfter.gateway! - cpuBefore.gateway!;
    const cpu = Object.fromEntries(Object.keys(pids).map((name) => [name, Math.round(((cpuAfter[name]! - cpuBefore[name]!) / seconds) * 100)]));
    clearInterval(sampler);
    timeline?.stop();
    maxRss = Math.max(maxRss, rssMiB(options.gatewayPid));

    const reports = await Promise.all(workers.map((w) => w.report()));
    return summarize(options, reports, workers, expectedPer, {
      eventsPublished: publisher.countedTotal,
      gatewayRssMiB: maxRss,
      gatewayCpuPercent: cpu.gateway!,
      gatewayCpuSeconds,
      otherCpuPercent: Object.fromEntries(Object.entries(cpu).filter(([name]) => name !== 'gateway')),
    });
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await publisher.close();
  }
}

function summarize(
  options: FanOutOptions,
  reports: WorkerReport[],
  workers: WorkerClient[],
  expectedPer: Map<string, number>,
  { gatewayCpuSeconds, ...measured }: Pick<FanOutResult, 'eventsPublished' | 'gatewayRssMiB' | 'gatewayCpuPercent' | 'otherCpuPercent'> & { gatewayCpuSeconds: number },
): FanOutResult {
  let expected = 0;
  let received = 0;
  let lost = 0;
  let duplicates = 0;
  const histogram = new Array<number>(HISTOGRAM_MS + 1).fill(0);
  const closes: Record<string, number> = {};
  reports.forEach((report, w) => {
    report.received.forEach((got, i) => {
      const want = expectedPer.get(workers[w]!.machineIds[i]!) ?? 0;
      expected += want;
      received += got;
      lost += Math.max(0, want - got);
      duplicates += Math.max(0, got - want);
    });
    report.histogram.forEach((count, ms) => (histogram[ms]! += count));
    for (const [code, n] of Object.entries(report.closes)) closes[code] = (closes[code] ?? 0) + n;
  });
  const percentile = (p: number) => {
    const total = histogram.reduce((a, b) => a + b, 0);
    let seen = 0;
    for (let ms = 0; ms < histogram.length; ms++) {
      seen += histogram[ms]!;
      if (seen > 0 && seen >= (p / 100) * total) return ms;
    }
    return 0;
  };
  let latencyMax = 0;
  histogram.forEach((count, ms) => count > 0 && (latencyMax = ms));
  const sum = (key: 'outOfOrder' | 'wrongMachine' | 'errors') => reports.reduce((n, r) => n + r[key], 0);
  return {
    subscribers: options.subscribers,
    machines: options.machineIds.length,
    deliveriesExpected: expected,
    deliveriesReceived: received,
    lost,
    duplicates,
    outOfOrder: sum('outOfOrder'),
    wrongMachine: sum('wrongMachine'),
    errors: sum('errors'),
    closes,
    latencyP50: percentile(50),
    latencyP99: percentile(99),
    latencyMax,
    gatewayCpuMicrosPerDelivery: received > 0 ? Math.round((gatewayCpuSeconds * 1e6) / received) : 0,
    ...measured,
  };
}

function startTimeline(log: (line: string) => void, workers: WorkerClient[], publisher: Publisher, pids: Record<string, number>) {
  const started = Date.now();
  let last = { at: started, received: 0, published: 0, cpu: cpuSecondsOf(pids) };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void Promise.all(workers.map((w) => w.progress()))
      .then((progress) => {
        const now = { at: Date.now(), received: progress.reduce((n, p) => n + p.received, 0), published: publisher.countedTotal, cpu: cpuSecondsOf(pids) };
        const seconds = (now.at - last.at) / 1000;
        const cpu = Object.keys(pids).map((name) => `${name} ${Math.round(((now.cpu[name]! - last.cpu[name]!) / seconds) * 100)}%`).join(' ');
        log(
          `  t=${((now.at - started) / 1000).toFixed(0)}s published ${now.published} (+${Math.round((now.published - last.published) / seconds)}/s) ` +
            `delivered ${now.received} (+${Math.round((now.received - last.received) / seconds)}/s) CPU ${cpu}`,
        );
        last = now;
      })
      .finally(() => (busy = false));
  }, 1000);
  return { stop: () => clearInterval(timer) };
}

/** The compiled worker sits beside this file (dist/bench); under ts-node/jest it is the .ts source. */
function workerScript(): string {
  const js = path.join(__dirname, 'subscription-worker.js');
  return fs.existsSync(js) ? js : path.join(__dirname, 'subscription-worker.ts');
}

class WorkerClient {
  readonly connected: Promise<{ failed: number }>;
  private readonly waiting = new Map<string, { resolve(message: FromWorker): void; reject(error: Error): void }[]>();
  private failure: Error | null = null;

  constructor(
    private readonly worker: Worker,
    readonly machineIds: string[],
  ) {
    this.connected = this.once('connected') as Promise<{ failed: number }>;
    worker.on('message', (message: FromWorker) => this.waiting.get(message.type)?.shift()?.resolve(message));
    worker.on('error', (error) => {
      this.failure = error;
      for (const queue of this.waiting.values()) for (const waiter of queue.splice(0)) waiter.reject(error);
    });
  }

  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private once(type: FromWorker['type']): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const queue = this.waiting.get(type) ?? [];
      queue.push({ resolve, reject });
      this.waiting.set(type, queue);
    });
  }

  async progress(): Promise<{ subscribersWithEvents: number; received: number }> {
    const answer = this.once('progress');
    this.send({ type: 'progress' });
    return (await answer) as { subscribersWithEvents: number; received: number };
  }

  async report(): Promise<WorkerReport> {
    const answer = this.once('report');
    this.send({ type: 'report' });
    return ((await answer) as { report: WorkerReport }).report;
  }

  async close(): Promise<void> {
    this.send({ type: 'close' });
    await this.worker.terminate().catch(() => undefined);
  }
}

/**
 * Machine state changes through the MES's GraphQL write path, one keep-alive connection, one request in flight:
 * everything due is sent as one document of aliased recordMachineState mutations (executed in order).
 */
class Publisher {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly toggles = new Map<string, number>();
  private counting = false;
  readonly counted = new Map<string, number>();
  countedTotal = 0;
  private next = 0;

  constructor(
    url: string,
    private readonly machines: string[],
  ) {
    const parsed = new URL(url);
    this.pool = new Pool(parsed.origin, { connections: 1, pipelining: 1 });
    this.path = parsed.pathname;
  }

  countFrom(): void {
    this.counting = true;
  }

  /** `rate` changes per second over the machines in turn, for `seconds`. */
  async run(rate: number, seconds: number): Promise<void> {
    const total = rate * seconds;
    const started = Date.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) * rate) / 1000)) - sent;
      if (due <= 0) {
        await sleep(Math.max(1, Math.ceil(((sent + 1) * 1000) / rate - (Date.now() - started))));
        continue;
      }
      const batch = Array.from({ length: Math.min(due, 200) }, () => this.machines[this.next++ % this.machines.length]!);
      await this.publish(batch);
      sent += batch.length;
    }
  }

  async publish(machineIds: string[]): Promise<void> {
    // The changes travel as variables, so the document depends on the batch size only: the MES parses and
    // validates each size once (as a shop-floor client with a fixed mutation would), not every batch.
    const variables: Record<string, unknown> = {};
    const fields = machineIds.map((machineId, i) => {
      const n = this.toggles.get(machineId) ?? 0;
      this.toggles.set(machineId, n + 1);
      // Even: IDLE with a reason never used before; odd: RUNNING (the machine is IDLE then). Each is a change.
      variables[`i${i}`] = n % 2 === 0 ? { machineId, state: 'IDLE', reasonCode: `bench-${n}`, lossCategory: 'PLANNED' } : { machineId, state: 'RUNNING' };
      return `m${i}: recordMachineState(input: $i${i}) { id }`;
    });
    const declarations = machineIds.map((_, i) => `$i${i}: RecordMachineStateInput!`).join(', ');
    const { statusCode, body } = await this.pool.request({
      path: this.path,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation(${declarations}) { ${fields.join(' ')} }`, variables }),
    });
    const answer = (await body.json()) as { errors?: { message: string }[] };
    if (statusCode !== 200 || answer.errors?.length) throw new Error(`MES refused machine state changes (${statusCode}): ${JSON.stringify(answer.errors)}`);
    if (!this.counting) return;
    for (const machineId of machineIds) this.counted.set(machineId, (this.counted.get(machineId) ?? 0) + 1);
    this.countedTotal += machineIds.length;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}


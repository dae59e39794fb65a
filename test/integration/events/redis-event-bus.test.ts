import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { compareEventIds, EventIdExpiredError } from '../../../subgraphs/mes/events/event-bus';
import type { BusEvent, EventId } from '../../../subgraphs/mes/events/event-types';
import { createEventBus } from '../../../subgraphs/mes/events/create-event-bus';
import { EventBusUnavailableError, RedisEventBus } from '../../../subgraphs/mes/events/redis-event-bus';
import { freePort } from '../../fixtures/free-port';
import { describeEventBusContract, publishMany, report, take, TIMEOUT, within } from '../../unit/events/event-bus-contract';

/** The shared Redis: only keys under this run's prefix are written, and they are deleted afterwards. */
const REDIS_URL = 'redis://127.0.0.1:6379';
const RUN = `forge-test:events:${process.pid}-${Date.now().toString(36)}`;
let namespaces = 0;
const admin = createClient({ url: REDIS_URL });
const ids = (events: BusEvent[]) => events.map((event) => event.eventId);

beforeAll(async () => {
  await admin.connect();
});

afterAll(async () => {
  const keys: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${RUN}:*`, COUNT: 1000 })) keys.push(...batch);
  if (keys.length) await admin.del(keys);
  await admin.close();
});

// A small live buffer makes the contract's slow subscriber overflow it and exercise the catch-up path.
describeEventBusContract('RedisEventBus', ({ retention }) =>
  RedisEventBus.connect({ url: REDIS_URL, keyPrefix: `${RUN}:${++namespaces}`, retention, liveBufferSize: 20, blockMs: 1_000 }),
);

describe('RedisEventBus on the shared Redis', () => {
  const open: RedisEventBus[] = [];
  const connect = async (keyPrefix: string, clientName?: string) => {
    const bus = await RedisEventBus.connect({ url: REDIS_URL, keyPrefix, clientName, blockMs: 1_000 });
    open.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((bus) => bus.close()));
  });

  it('stores each stream as one Redis stream under the key prefix, payload as JSON', async () => {
    const prefix = `${RUN}:${++namespaces}`;
    const bus = await connect(prefix);
    const id = await bus.publish('production', report(7));
    expect(await admin.type(`${prefix}:production`)).toBe('stream');
    const [entry] = (await admin.xRange(`${prefix}:production`, '-', '+')) ?? [];
    expect(entry).toEqual({ id, message: { p: JSON.stringify(report(7)) } });
  });

  it('opens one blocking connection per stream, not per subscriber', async () => {
    const clientName = `forge-test-${process.pid}-${Date.now()}`;
    const bus = await connect(`${RUN}:${++namespaces}`, clientName);
    const production = Array.from({ length: 50 }, () => bus.subscribe('production'));
    const machines = Array.from({ length: 50 }, () => bus.subscribe('machine-status'));
    const published = await publishMany(bus, 0, 3);
    for (const subscription of production) expect(ids(await take(subscription, 3))).toEqual(published);
    const names = String(await admin.sendCommand(['CLIENT', 'LIST'])).match(/ name=(\S*)/g) ?? [];
    expect(names.filter((name) => name === ` name=${clientName}`)).toHaveLength(3); // commands + 2 readers
    expect(bus.subscriberCount('production')).toBe(50);
    await Promise.all([...production, ...machines].map((subscription) => subscription.return?.()));
    expect(bus.subscriberCount('production')).toBe(0);
    expect(bus.subscriberCount('machine-status')).toBe(0);
  });

  it('two instances (as two processes) see every event exactly once, in one global order', async () => {
    const prefix = `${RUN}:${++namespaces}`;
    const [a, b] = [await connect(prefix), await connect(prefix)];
    const start = await a.publish('production', report(-1));
    const onA = a.subscribe('production', { after: start });
    const onB = b.subscribe('production', { after: start });
    const receiving = [take(onA, 400, 30_000), take(onB, 400, 30_000)];
    const [fromA, fromB] = await Promise.all([publishMany(a, 0, 200), publishMany(b, 1_000, 200)]);
    const [seenByA, seenByB] = await Promise.all(receiving);
    expect(ids(seenByA)).toEqual(ids(seenByB));
    expect(new Set(ids(seenByA))).toEqual(new Set([...fromA, ...fromB]));
    for (let i = 1; i < seenByA.length; i++) expect(compareEventIds(seenByA[i].eventId, seenByA[i - 1].eventId)).toBeGreaterThan(0);
    const goodById = new Map(seenByB.map((event) => [event.eventId, event.payload.good]));
    fromB.forEach((id, n) => expect(goodById.get(id)).toBe(1_000 + n));
    expect(await within(onA.next(), 200)).toBe(TIMEOUT);
  });

  it('is what createEventBus() returns when a Redis URL is set', async () => {
    const prefix = `${RUN}:${++namespaces}`;
    const bus = await createEventBus({ redisUrl: REDIS_URL, keyPrefix: prefix });
    try {
      expect(bus).toBeInstanceOf(RedisEventBus);
      await bus.publish('production', report(1));
      expect(await admin.exists(`${prefix}:production`)).toBe(1);
    } finally {
      await bus.close();
    }
  });

  it('connect() gives up with a clear error when Redis cannot be reached', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(RedisEventBus.connect({ url, connectTimeoutMs: 300 })).rejects.toThrow(EventBusUnavailableError);
  });
});

describe('RedisEventBus against its own redis-server (fault injection)', () => {
  let port: number;
  let server: ChildProcess | null = null;

  /** Nothing on disk (--save "" --appendonly no): a restart comes back empty. */
  async function startServer(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
  }

  async function killServer(): Promise<void> {
    const child = server;
    server = null;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Publishes as soon as the bus has reconnected. */
  async function publishWhenBack(bus: RedisEventBus, n: number): Promise<EventId> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await bus.publish('production', report(n));
      } catch (error) {
        if (!(error instanceof EventBusUnavailableError) || attempt > 100) throw error;
        await sleep(100);
      }
    }
  }

  beforeAll(async () => {
    port = await freePort();
    await startServer();
  });
  afterAll(killServer);

  it('keeps delivering after Redis is killed and restarted, and fails publishes fast meanwhile', async () => {
    const bus = await RedisEventBus.connect({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'fault', commandTimeoutMs: 500, blockMs: 500 });
    try {
      const live = bus.subscribe('production');
      const before = await publishMany(bus, 0, 3);
      expect(ids(await take(live, 3))).toEqual(before);

      await killServer();
      const pending = live.next(); // waits through the outage
      const started = Date.now();
      await expect(bus.publish('production', report(99))).rejects.toThrow(EventBusUnavailableError);
      expect(Date.now() - started).toBeLessThan(1_000);
      // Subscribes during the outage to resume after before[0]: before[1..2] die with this Redis.
      const resuming = bus.subscribe('production', { after: before[0] });
      const resumed = resuming.next();

      await startServer();
      const after = [await publishWhenBack(bus, 3), ...(await publishMany(bus, 4, 4))];
      // An empty Redis numbers from its own clock again, which is still later than every id before the restart.
      expect(compareEventIds(after[0], before[2])).toBeGreaterThan(0);
      const first = await pending;
      expect(first.value?.eventId).toBe(after[0]);
      expect(ids(await take(live, 4))).toEqual(after.slice(1));
      expect(await within(live.next(), 300)).toBe(TIMEOUT);
      await expect(resumed).rejects.toBeInstanceOf(EventIdExpiredError);
    } finally {
      await bus.close();
    }
  });

  it('keeps ids growing across a restart even when the new server clock is behind the last id', async () => {
    const url = `redis://127.0.0.1:${port}`;
    const bus = await RedisEventBus.connect({ url, keyPrefix: 'skew', commandTimeoutMs: 500, blockMs: 500 });
    const external = createClient({ url, disableOfflineQueue: true });
    external.on('error', () => undefined);
    try {
      await external.connect();
      const live = bus.subscribe('production');
      await publishMany(bus, 0, 1);
      await take(live, 1);
      // An id an hour ahead, as written by a server whose clock ran fast before it was replaced.
      const ahead = `${Date.now() + 3_600_000}-0`;
      await external.xAdd('skew:production', ahead, { p: JSON.stringify(report(1)) });
      expect(ids(await take(live, 1))).toEqual([ahead]);
      external.destroy();

      await killServer();
      await startServer();
      const next = await publishWhenBack(bus, 2);
      expect(compareEventIds(next, ahead)).toBeGreaterThan(0);
      expect(ids(await take(live, 1))).toEqual([next]);
    } finally {
      if (external.isOpen) external.destroy();
      await bus.close();
    }
  });

  it('starts "from now on" at the subscribe() call, and reports that position, on a server that lost the read script', async () => {
    const url = `redis://127.0.0.1:${port}`;
    const external = createClient({ url });
    await external.connect();
    try {
      const bus = await RedisEventBus.connect({ url, keyPrefix: 'noscript', blockMs: 500 });
      try {
        // The server forgets the scripts the bus loaded (as a restart would); the next publish caches the publish
        // script again, not the read script: a read sent as EVALSHA would be refused and go out again behind the
        // publishes that follow it.
        await external.scriptFlush();
        await publishMany(bus, 0, 1);
        const live = bus.subscribe('production');
        const published = await publishMany(bus, 1, 5);
        expect(ids(await take(live, 5, 5_000))).toEqual(published);
        await external.scriptFlush();
        const [last] = await publishMany(bus, 6, 1);
        const head = bus.head('production');
        const later = await publishMany(bus, 7, 1);
        expect(await head).toBe(last);
        expect(compareEventIds(later[0]!, last!)).toBeGreaterThan(0);
      } finally {
        await bus.close();
      }
    } finally {
      await external.close();
    }
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { BadEventIdError, compareEventIds, EventIdExpiredError, type EventBus, type Retention } from '../../../subgraphs/mes/events/event-bus';
import type { BusEvent, EventId, EventStream, ProductionPayload } from '../../../subgraphs/mes/events/event-types';

/** Makes a bus with its own, empty streams (each call isolated from the others). */
export type BusFactory = (options: { retention?: Retention }) => Promise<EventBus>;

export function report(n: number): ProductionPayload {
  return { type: 'PRODUCTION_REPORTED', workOrderId: `wo-${n}`, salesOrderId: null, machineId: 'm-1', good: n, scrap: 0, at: new Date(0).toISOString() };
}

/** The next `count` events, failing (with how many arrived) if they take longer than `timeoutMs`. */
export async function take<S extends EventStream>(events: AsyncIterator<BusEvent<S>>, count: number, timeoutMs = 15_000): Promise<BusEvent<S>[]> {
  const received: BusEvent<S>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count) {
    const result = await within(events.next(), deadline - Date.now());
    // The ids received say which event went missing (a gap) or whether the rest was merely late (none after the last).
    if (result === TIMEOUT) throw new Error(`timed out after ${received.length} of ${count} events: ${received.map((event) => event.eventId).join(' ')}`);
    if (result.done) throw new Error(`iterator ended after ${received.length} of ${count} events`);
    received.push(result.value);
  }
  return received;
}

export const TIMEOUT = Symbol('timeout');

export async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), Math.max(0, ms))));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function publishMany(bus: EventBus, from: number, count: number): Promise<EventId[]> {
  const ids: EventId[] = [];
  for (let n = from; n < from + count; n++) ids.push(await bus.publish('production', report(n)));
  return ids;
}

const ids = (events: BusEvent[]) => events.map((event) => event.eventId);

/** The behaviour every EventBus must have; registered once per implementation. */
export function describeEventBusContract(label: string, makeBus: BusFactory): void {
  describe(`${label} — EventBus contract`, () => {
    const open: EventBus[] = [];
    const bus = async (retention?: Retention) => {
      const created = await makeBus({ retention });
      open.push(created);
      return created;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((created) => created.close()));
    });

    describe('ids and order', () => {
      it('returns strictly increasing <ms>-<seq> ids, also for publishes made at the same time', async () => {
        const events = await bus();
        const sequential = await publishMany(events, 0, 300);
        const concurrent = await Promise.all(Array.from({ length: 100 }, (_, n) => events.publish('production', report(n))));
        const all = [...sequential, ...concurrent];
        for (const id of all) expect(id).toMatch(/^\d+-\d+$/);
        for (let i = 1; i < all.length; i++) expect(compareEventIds(all[i], all[i - 1])).toBeGreaterThan(0);
      });

      it('delivers only events published after subscribe(), in order', async () => {
        const events = await bus();
        await publishMany(events, 0, 5);
        const subscription = events.subscribe('production');
        const published = await publishMany(events, 5, 20);
        const received = await take(subscription, 20);
        expect(ids(received)).toEqual(published);
        expect(received.map((event) => event.payload.good)).toEqual(published.map((_, n) => n + 5));
        expect(received[0].stream).toBe('production');
      });

      it('keeps streams apart', async () => {
        const events = await bus();
        const machines = events.subscribe('machine-status');
        await events.publish('production', report(1));
        const machineId = await events.publish('machine-status', {
          machineId: 'm-1', workCenter: 'wc-1', previousState: 'IDLE', state: 'RUNNING', reasonCode: null, lossCategory: null, at: new Date(0).toISOString(),
        });
        const [event] = await take(machines, 1);
        expect(event.eventId).toBe(machineId);
        expect(event.payload.state).toBe('RUNNING');
      });
    });

    describe('resuming with after', () => {
      it('replays retained events after the id, then continues live', async () => {
        const events = await bus();
        const before = await publishMany(events, 0, 10);
        const subscription = events.subscribe('production', { after: before[4] });
        expect(ids(await take(subscription, 5))).toEqual(before.slice(5));
        const later = await publishMany(events, 10, 3);
        expect(ids(await take(subscription, 3))).toEqual(later);
      });

      it('replays everything retained after 0-0', async () => {
        const events = await bus();
        const before = await publishMany(events, 0, 7);
        expect(ids(await take(events.subscribe('production', { after: '0-0' }), 7))).toEqual(before);
      });

      it('resumes mid-way while 1,000 events are published, without gap or duplicate', async () => {
        const events = await bus();
        const first = await publishMany(events, 0, 500);
        const resumed = events.subscribe('production', { after: first[249] });
        const consuming = take(resumed, 750, 30_000);
        const rest: EventId[] = [];
        for (let n = 500; n < 1000; n++) {
          rest.push(await events.publish('production', report(n)));
          if (n % 25 === 0) await sleep(1); // let the consumer run between publishes, at varying points of its replay
        }
        const received = await consuming;
        expect(ids(received)).toEqual([...first.slice(250), ...rest]);
        expect(await within(resumed.next(), 100)).toBe(TIMEOUT);
        await resumed.return?.();
      });

      it('waits for newer events when after is in the future', async () => {
        const events = await bus();
        const future = `${Date.now() + 3_600_000}-0`;
        const subscription = events.subscribe('production', { after: future });
        const pending = subscription.next();
        await publishMany(events, 0, 3);
        expect(await within(pending, 300)).toBe(TIMEOUT);
        await subscription.return?.();
        await expect(pending).resolves.toEqual({ value: undefined, done: true });
      });
    });

    describe('subscribers', () => {
      it('are independent of each other', async () => {
        const events = await bus();
        const a = events.subscribe('production');
        const b = events.subscribe('production');
        const published = await publishMany(events, 0, 20);
        expect(ids(await take(a, 20))).toEqual(published);
        expect(ids(await take(b, 10))).toEqual(published.slice(0, 10));
        await b.return?.();
        const more = await publishMany(events, 20, 5);
        expect(ids(await take(a, 5))).toEqual(more);
        await expect(b.next()).resolves.toEqual({ value: undefined, done: true });
      });

      it('a slow subscriber does not hold up a fast one, and still gets everything', async () => {
        const events = await bus();
        const slow = events.subscribe('production');
        const fast = events.subscribe('production');
        const fastReceiving = take(fast, 300);
        const published = await publishMany(events, 0, 1);
        expect(ids(await take(slow, 1))).toEqual(published);
        const slowNext = slow.next(); // caught up: waits for live events, then stops reading for a while
        await sleep(20);
        published.push(...(await publishMany(events, 1, 299)));
        expect(ids(await fastReceiving)).toEqual(published);
        expect((await slowNext).value?.eventId).toBe(published[1]);
        expect(ids(await take(slow, 298))).toEqual(published.slice(2));
      });

      it('serves next() calls made without awaiting in order', async () => {
        const events = await bus();
        const subscription = events.subscribe('production');
        const pending = [subscription.next(), subscription.next(), subscription.next()];
        const published = await publishMany(events, 0, 3);
        expect((await Promise.all(pending)).map((result) => result.value?.eventId)).toEqual(published);
      });

      it('ends a pending next() on return() and ends for await … break', async () => {
        const events = await bus();
        const subscription = events.subscribe('production');
        const pending = subscription.next();
        await subscription.return?.();
        await expect(pending).resolves.toEqual({ value: undefined, done: true });
        const looped = events.subscribe('production');
        await publishMany(events, 0, 3);
        let seen = 0;
        for await (const event of looped) {
          expect(event.payload.good).toBe(seen);
          if (++seen === 2) break;
        }
        await expect(looped.next()).resolves.toEqual({ value: undefined, done: true });
      });
    });

    describe('filter', () => {
      it('delivers only the events its filter accepts, in order, live and when resuming', async () => {
        const events = await bus();
        const thirds = (payload: ProductionPayload) => payload.good! % 3 === 0;
        const live = events.subscribe('production', { filter: thirds });
        const published = await publishMany(events, 0, 30);
        const accepted = published.filter((_, n) => n % 3 === 0);
        expect(ids(await take(live, 10))).toEqual(accepted);
        expect(await within(live.next(), 200)).toBe(TIMEOUT);
        const resumed = events.subscribe('production', { after: published[4], filter: thirds });
        expect(ids(await take(resumed, 8))).toEqual(accepted.slice(2));
      });

      it('gives a subscriber that stopped reading every accepted event, and only those, when it reads again', async () => {
        const events = await bus();
        const even = events.subscribe('production', { filter: (payload) => payload.good! % 2 === 0 });
        await sleep(50); // let it settle into live reading
        const published = await publishMany(events, 0, 100);
        expect(ids(await take(even, 50))).toEqual(published.filter((_, n) => n % 2 === 0));
      });

      it('does not fail a subscriber that stopped reading because retention trimmed events it refuses', async () => {
        const events = await bus({ maxEvents: 20, maxAgeMs: 3_600_000 });
        const rare = events.subscribe('production', { filter: (payload) => payload.good === 99 });
        await sleep(50);
        const published = await publishMany(events, 0, 100);
        expect(ids(await take(rare, 1))).toEqual([published[99]]);
      });
    });

    describe('retention', () => {
      it('keeps the newest maxEvents events', async () => {
        const events = await bus({ maxEvents: 50, maxAgeMs: 3_600_000 });
        const published = await publishMany(events, 0, 200);
        expect(await events.get('production', published[0])).toBeNull();
        expect(await events.get('production', published[149])).toBeNull();
        expect((await events.get('production', published[150]))?.eventId).toBe(published[150]);
        // Resuming right after the newest trimmed event misses nothing.
        await expect(events.ensureResumable('production', published[149])).resolves.toBeUndefined();
        expect(ids(await take(events.subscribe('production', { after: published[149] }), 50))).toEqual(published.slice(150));
        const tooOld = events.subscribe('production', { after: published[148] });
        await expect(tooOld.next()).rejects.toMatchObject({ name: 'EventIdExpiredError', after: published[148], oldestRetained: published[150] });
        await expect(events.ensureResumable('production', published[148])).rejects.toBeInstanceOf(EventIdExpiredError);
        await expect(tooOld.next()).resolves.toEqual({ value: undefined, done: true });
      });

      it('drops events older than maxAgeMs when publishing', async () => {
        const events = await bus({ maxEvents: 1_000, maxAgeMs: 300 });
        const old = await publishMany(events, 0, 5);
        await sleep(500);
        const [fresh] = await publishMany(events, 5, 1);
        for (const id of old) expect(await events.get('production', id)).toBeNull();
        expect((await events.get('production', fresh))?.payload.good).toBe(5);
        expect(ids(await take(events.subscribe('production', { after: old[4] }), 1))).toEqual([fresh]);
        await expect(events.subscribe('production', { after: old[3] }).next()).rejects.toBeInstanceOf(EventIdExpiredError);
      });

      it('fails a subscriber that fell behind retention with EventIdExpiredError', async () => {
        const events = await bus({ maxEvents: 20, maxAgeMs: 3_600_000 });
        const lagging = events.subscribe('production');
        await sleep(50); // let it settle into live reading
        await publishMany(events, 0, 100);
        await expect(lagging.next()).rejects.toBeInstanceOf(EventIdExpiredError);
      });
    });

    describe('errors and lookups', () => {
      it.each(['nope', '12', '12-x', '1.5-0', '-1-0', ''])('rejects the malformed id %p with BadEventIdError', async (bad) => {
        const events = await bus();
        const subscription = events.subscribe('production', { after: bad }); // does not throw: the first next() does
        await expect(subscription.next()).rejects.toBeInstanceOf(BadEventIdError);
        await expect(events.ensureResumable('production', bad)).rejects.toBeInstanceOf(BadEventIdError);
        await expect(events.get('production', bad)).rejects.toBeInstanceOf(BadEventIdError);
      });

      it('get() returns the retained event, or null for an unknown id or another stream', async () => {
        const events = await bus();
        const [first, second] = await publishMany(events, 0, 2);
        expect(await events.get('production', second)).toEqual({ eventId: second, stream: 'production', payload: report(1) });
        expect(await events.get('production', first)).toMatchObject({ eventId: first });
        expect(await events.get('production', '1-0')).toBeNull();
        expect(await events.get('machine-status', second)).toBeNull();
      });

      it('head() is the newest id ever published (0-0 before the first), trimmed or not', async () => {
        const events = await bus({ maxEvents: 2, maxAgeMs: 3_600_000 });
        expect(await events.head('production')).toBe('0-0');
        const published = await publishMany(events, 0, 5);
        expect(await events.head('production')).toBe(published[4]);
        expect(await events.head('machine-status')).toBe('0-0');
        const subscription = events.subscribe('production', { after: await events.head('production') });
        const [next] = await publishMany(events, 5, 1);
        expect(ids(await take(subscription, 1))).toEqual([next]);
      });

      it('close() ends subscriptions and refuses later publishes', async () => {
        const events = await makeBus({});
        const subscription = events.subscribe('production');
        const pending = subscription.next();
        await events.close();
        await expect(pending).resolves.toEqual({ value: undefined, done: true });
        await expect(events.publish('production', report(0))).rejects.toThrow(/closed/);
        await expect(events.subscribe('production').next()).resolves.toEqual({ value: undefined, done: true });
        await expect(events.subscribe('machine-status').next()).resolves.toEqual({ value: undefined, done: true });
      });
    });
  });
}

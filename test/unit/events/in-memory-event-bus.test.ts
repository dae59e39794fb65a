import { EventIdExpiredError } from '../../../subgraphs/mes/events/event-bus';
import { InMemoryEventBus } from '../../../subgraphs/mes/events/in-memory-event-bus';
import { describeEventBusContract, publishMany, report, take } from './event-bus-contract';

describeEventBusContract('InMemoryEventBus', async ({ retention }) => new InMemoryEventBus({ retention }));

describe('InMemoryEventBus', () => {
  it('numbers events within one millisecond and never goes back when the clock does', async () => {
    const times = [1_000, 1_000, 1_000, 999, 500, 1_001, 1_001];
    const events = new InMemoryEventBus({ now: () => times.shift()! });
    expect(await publishMany(events, 0, 7)).toEqual(['1000-0', '1000-1', '1000-2', '1000-3', '1000-4', '1001-0', '1001-1']);
  });

  it('trims by age on the injected clock, from the id time', async () => {
    let now = 10_000;
    const events = new InMemoryEventBus({ retention: { maxEvents: 100, maxAgeMs: 1_000 }, now: () => now });
    const [a, b] = await publishMany(events, 0, 2);
    now = 11_000;
    await publishMany(events, 2, 1);
    expect(await events.get('production', a)).not.toBeNull(); // exactly maxAgeMs old is still kept
    now = 11_001;
    const [d] = await publishMany(events, 3, 1);
    expect(await events.get('production', a)).toBeNull();
    expect(await events.get('production', b)).toBeNull();
    await expect(events.ensureResumable('production', a)).rejects.toMatchObject({ oldestRetained: '11000-0' });
    await expect(events.ensureResumable('production', b)).resolves.toBeUndefined();
    expect(d).toBe('11001-0');
  });

  it('releases subscribers on return(), break and close()', async () => {
    const events = new InMemoryEventBus();
    const a = events.subscribe('production');
    const b = events.subscribe('production');
    events.subscribe('machine-status');
    expect(events.subscriberCount('production')).toBe(2);
    await a.return?.();
    expect(events.subscriberCount('production')).toBe(1);
    await publishMany(events, 0, 1);
    for await (const event of b) {
      expect(event.payload).toEqual(report(0));
      break;
    }
    expect(events.subscriberCount('production')).toBe(0);
    await events.close();
    expect(events.subscriberCount('machine-status')).toBe(0);
  });

  it('keeps no per-subscriber copy: a subscriber reads the log, and trimmed means gone', async () => {
    const events = new InMemoryEventBus({ retention: { maxEvents: 10, maxAgeMs: 3_600_000 } });
    const reader = events.subscribe('production');
    const first = await publishMany(events, 0, 5);
    expect((await take(reader, 1))[0].eventId).toBe(first[0]);
    await publishMany(events, 5, 5_000); // trimming (and compaction of the log) runs thousands of times
    await expect(reader.next()).rejects.toBeInstanceOf(EventIdExpiredError);
  });

  it('does not fail a subscriber whose resume point is beyond what was trimmed', async () => {
    let now = 1_000;
    const events = new InMemoryEventBus({ retention: { maxEvents: 2, maxAgeMs: 3_600_000 }, now: () => now });
    const waiting = events.subscribe('production', { after: '5000-0' });
    const pending = waiting.next();
    await publishMany(events, 0, 5); // ids 1000-0…1000-4, all ≤ the resume point; three of them trimmed
    now = 6_000;
    const [next] = await publishMany(events, 5, 1);
    await expect(pending).resolves.toMatchObject({ value: { eventId: next } });
  });
});

import { DEFAULT_ANCHOR } from '../../../mocks/dataset/world';
import { createMockMesBackend, type InMemoryMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import type { Clock } from '../../../subgraphs/common/clock';
import { InMemoryEventBus } from '../../../subgraphs/mes/events/in-memory-event-bus';
import type { BusEvent, EventId, EventStream, PayloadOf } from '../../../subgraphs/mes/events/event-types';

/** Small enough to be quick, big enough to hold every machine state and every work-order status. */
export const DATASET = { seed: 7, scale: 50, anchor: DEFAULT_ANCHOR };
export const SIM_SEED = 42;

/** A fresh backend per test: the simulator writes, so each test starts from the seeded state. */
export const freshBackend = (): InMemoryMesBackend => createMockMesBackend(DATASET);

/**
 * Starts a minute after the anchor (after the seeded history) and moves one second per reading, so every
 * simulated state interval has a length and the clock never depends on the wall clock.
 */
export function steppingClock(): Clock {
  let now = DEFAULT_ANCHOR.getTime() + 60_000;
  return () => new Date((now += 1_000));
}

/** The real in-memory bus, plus a list of what was published, so tests can inspect events without subscribing. */
export class RecordingEventBus extends InMemoryEventBus {
  readonly published: BusEvent[] = [];

  override async publish<S extends EventStream>(stream: S, payload: PayloadOf[S]): Promise<EventId> {
    const eventId = await super.publish(stream, payload);
    this.published.push({ eventId, stream, payload } as BusEvent);
    return eventId;
  }

  machineStatus(): PayloadOf['machine-status'][] {
    return this.published.filter((e): e is BusEvent<'machine-status'> => e.stream === 'machine-status').map((e) => e.payload);
  }

  production(): PayloadOf['production'][] {
    return this.published.filter((e): e is BusEvent<'production'> => e.stream === 'production').map((e) => e.payload);
  }
}

/** A promise plus its resolver, to hold a backend call open while a test looks at the simulator. */
export function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

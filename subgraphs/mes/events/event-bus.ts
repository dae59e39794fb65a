import type { BusEvent, EventId, EventStream, PayloadOf } from './event-types';

/**
 * The MES publishes every machine-status and production event here, and every subscription reads from here.
 * Implementations: in memory (one process, the embedded default) and Redis Streams (REDIS_URL: many MES and
 * gateway instances share one ordered log per stream).
 */
export interface EventBus {
  /** Appends the event and returns its id, which is greater than every id returned before on this stream. */
  publish<S extends EventStream>(stream: S, payload: PayloadOf[S]): Promise<EventId>;

  /**
   * Every event with id > `after` (all retained events in order, then live ones as they are published), or
   * only events published from now on when `after` is undefined. No gaps, no duplicates, in id order.
   * Rejects — on the first `next()` — with EventIdExpiredError when events after `after` were already
   * trimmed by retention, and with BadEventIdError when `after` is not an event id.
   * `return()` on the iterator releases everything it holds.
   */
  subscribe<S extends EventStream>(stream: S, options?: { after?: EventId }): AsyncIterableIterator<BusEvent<S>>;

  /**
   * Resolves when `subscribe(stream, { after })` can deliver every event after `after`; rejects with
   * EventIdExpiredError or BadEventIdError otherwise. Lets a subscription be refused before it starts.
   */
  ensureResumable(stream: EventStream, after: EventId): Promise<void>;

  /**
   * The id of the newest event ever published on the stream (even if since trimmed), or `0-0` before the
   * first. A client that reads a snapshot and this position in one query, then subscribes with `after` set to
   * it, misses nothing that happened after its snapshot.
   */
  head(stream: EventStream): Promise<EventId>;

  /** The retained event with this id, or null (unknown or trimmed). */
  get<S extends EventStream>(stream: S, eventId: EventId): Promise<BusEvent<S> | null>;

  close(): Promise<void>;
}

/** How much history a stream keeps for resuming clients: whichever limit is reached first trims. */
export interface Retention {
  maxEvents: number;
  maxAgeMs: number;
}

export const DEFAULT_RETENTION: Retention = { maxEvents: 100_000, maxAgeMs: 24 * 60 * 60 * 1000 };

/** The client asked to resume after an event that retention already dropped: it must re-read state and start live. */
export class EventIdExpiredError extends Error {
  override name = 'EventIdExpiredError';
  constructor(
    readonly after: EventId,
    readonly oldestRetained: EventId | null,
  ) {
    super(`event ${after} is older than the retained history${oldestRetained ? ` (oldest kept: ${oldestRetained})` : ''}`);
  }
}

export class BadEventIdError extends Error {
  override name = 'BadEventIdError';
  constructor(readonly value: string) {
    super(`"${value}" is not an event id (expected <milliseconds>-<sequence>)`);
  }
}

const EVENT_ID = /^(\d{1,15})-(\d{1,15})$/;

export function parseEventId(value: string): [number, number] {
  const match = EVENT_ID.exec(value);
  if (!match) throw new BadEventIdError(value);
  return [Number(match[1]), Number(match[2])];
}

/** Negative when a came before b. */
export function compareEventIds(a: EventId, b: EventId): number {
  const [am, as] = parseEventId(a);
  const [bm, bs] = parseEventId(b);
  return am - bm || as - bs;
}

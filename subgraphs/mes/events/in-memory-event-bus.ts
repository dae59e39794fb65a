import {
  compareEventIds,
  DEFAULT_RETENTION,
  EventIdExpiredError,
  parseEventId,
  type EventBus,
  type Retention,
  type SubscribeOptions,
} from './event-bus';
import type { BusEvent, EventId, EventStream, PayloadOf } from './event-types';
import { SubscriptionIterator } from './subscription-iterator';

export interface InMemoryEventBusOptions {
  retention?: Retention;
  /** Milliseconds since the epoch; injectable so tests can move the clock (also backwards). */
  now?: () => number;
}

/**
 * The embedded default: one process, one ordered log per stream, same id format and same resume semantics as
 * the Redis bus so that the gateway cannot tell them apart.
 *
 * Memory: the log is the only copy of an event. A subscriber holds a position in it, never a queue of its
 * own, so a subscriber that stops reading costs nothing more than the retained log; when retention trims past
 * its position it gets EventIdExpiredError on its next read, exactly like a client resuming too late.
 */
export class InMemoryEventBus implements EventBus {
  private readonly logs = new Map<EventStream, StreamLog>();
  private readonly retention: Retention;
  private readonly now: () => number;
  private closed = false;

  constructor(options: InMemoryEventBusOptions = {}) {
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.now = options.now ?? Date.now;
  }

  async publish<S extends EventStream>(stream: S, payload: PayloadOf[S]): Promise<EventId> {
    if (this.closed) throw new Error('event bus is closed');
    return this.log(stream).append(payload, this.now(), this.retention);
  }

  subscribe<S extends EventStream>(stream: S, options: SubscribeOptions<S> = {}): AsyncIterableIterator<BusEvent<S>> {
    const subscription = new InMemorySubscription<S>(this.log(stream), options.after, options.filter);
    if (this.closed) subscription.finish();
    return subscription;
  }

  async ensureResumable(stream: EventStream, after: EventId): Promise<void> {
    parseEventId(after);
    const log = this.log(stream);
    if (log.newestTrimmed !== null && compareEventIds(after, log.newestTrimmed) < 0) {
      throw new EventIdExpiredError(after, log.at(log.firstIndex)?.eventId ?? null);
    }
  }

  async head(stream: EventStream): Promise<EventId> {
    const log = this.log(stream);
    return log.lastId ?? log.newestTrimmed ?? '0-0';
  }

  async get<S extends EventStream>(stream: S, eventId: EventId): Promise<BusEvent<S> | null> {
    parseEventId(eventId);
    const log = this.log(stream);
    const index = log.firstIndexAfter(eventId) - 1;
    const event = index >= log.firstIndex ? log.at(index) : undefined;
    return event?.eventId === eventId ? (event as BusEvent<S>) : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const log of this.logs.values()) log.finishAll();
  }

  /** How many subscribers a stream currently has (diagnostics; also shows that return() releases them). */
  subscriberCount(stream: EventStream): number {
    return this.logs.get(stream)?.subscribers.size ?? 0;
  }

  private log(stream: EventStream): StreamLog {
    let log = this.logs.get(stream);
    if (!log) this.logs.set(stream, (log = new StreamLog(stream)));
    return log;
  }
}

/**
 * One stream's retained events, addressed by absolute index (0 = the first event ever published), so that a
 * subscriber's position stays valid while the front is trimmed.
 */
class StreamLog {
  readonly subscribers = new Set<Pick<InMemorySubscription<EventStream>, 'published' | 'finish'>>();
  /** Absolute index of the oldest retained event = number of events trimmed so far. */
  firstIndex = 0;
  /** Id of the newest trimmed event: resuming before it would skip events. */
  newestTrimmed: EventId | null = null;
  private events: BusEvent[] = [];
  /** Trimmed slots at the front of `events`, compacted in bulk so trimming stays O(1) amortized. */
  private head = 0;
  private lastMs = 0;
  private lastSeq = -1;

  constructor(private readonly stream: EventStream) {}

  /** Absolute index one past the newest event. */
  get endIndex(): number {
    return this.firstIndex + this.events.length - this.head;
  }

  get lastId(): EventId | null {
    return this.events.length > this.head ? this.events[this.events.length - 1].eventId : null;
  }

  at(index: number): BusEvent | undefined {
    return this.events[this.head + index - this.firstIndex];
  }

  append(payload: PayloadOf[EventStream], nowMs: number, retention: Retention): EventId {
    // Redis stream rule: a new millisecond starts at seq 0; the same millisecond, or a clock that went
    // backwards, keeps the last millisecond and bumps seq, so ids never decrease.
    if (nowMs > this.lastMs) {
      this.lastMs = nowMs;
      this.lastSeq = 0;
    } else {
      this.lastSeq += 1;
    }
    const eventId = `${this.lastMs}-${this.lastSeq}`;
    const event: BusEvent = { eventId, stream: this.stream, payload };
    const index = this.endIndex;
    this.events.push(event);
    this.trim(nowMs, retention);
    for (const subscriber of this.subscribers) subscriber.published(event, index);
    return eventId;
  }

  /** Absolute index of the first retained event with id > `after` (endIndex when none). */
  firstIndexAfter(after: EventId): number {
    let low = this.firstIndex;
    let high = this.endIndex;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareEventIds(this.at(middle)!.eventId, after) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  finishAll(): void {
    for (const subscriber of [...this.subscribers]) subscriber.finish();
  }

  private trim(nowMs: number, { maxEvents, maxAgeMs }: Retention): void {
    const oldestKeptMs = nowMs - maxAgeMs;
    while (this.endIndex > this.firstIndex) {
      const oldest = this.events[this.head];
      const tooMany = this.endIndex - this.firstIndex > maxEvents;
      if (!tooMany && parseEventId(oldest.eventId)[0] >= oldestKeptMs) break;
      this.newestTrimmed = oldest.eventId;
      this.events[this.head] = undefined as unknown as BusEvent; // let the payload be collected now
      this.head += 1;
      this.firstIndex += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }
}

class InMemorySubscription<S extends EventStream> extends SubscriptionIterator<S> {
  /** Absolute index of the next event to look at. */
  private position: number;
  /** Id of the last event delivered (or the resume point): only later ids are delivered. */
  private cursor: EventId;
  /** BadEventIdError / EventIdExpiredError found at subscribe time, reported by the first next(). */
  private startError: Error | null = null;

  constructor(
    private readonly log: StreamLog,
    after: EventId | undefined,
    private readonly filter: ((payload: PayloadOf[S]) => boolean) | undefined,
  ) {
    super();
    this.cursor = after ?? log.lastId ?? '0-0';
    this.position = log.endIndex;
    try {
      if (after !== undefined) {
        parseEventId(after);
        this.checkNotExpired();
        this.position = log.firstIndexAfter(after);
      }
    } catch (error) {
      this.startError = error as Error;
    }
    log.subscribers.add(this);
  }

  protected async pull(): Promise<BusEvent<S> | null> {
    if (this.startError) throw this.startError;
    for (;;) {
      if (this.finished) return null;
      if (this.position < this.log.firstIndex) {
        // Trimmed past our position: if any of those events was newer than what we delivered, it is gone and
        // the consumer must resync; if not (a resume point in the future), there was nothing to deliver anyway.
        this.checkNotExpired();
        this.position = this.log.firstIndex;
      }
      while (this.position < this.log.endIndex) {
        const event = this.log.at(this.position++)!;
        // Skips events at or before a resume point that lies in the future (see "after in the future").
        if (compareEventIds(event.eventId, this.cursor) > 0) {
          this.cursor = event.eventId;
          if (this.filter && !this.filter(event.payload as PayloadOf[S])) continue;
          return event as BusEvent<S>;
        }
      }
      await this.waitForWake();
    }
  }

  /**
   * The log appended `event` at `index`. When everything before it was already taken and the filter refuses it,
   * it is passed over here, as pull() would, without waking the subscriber; anything else wakes it.
   */
  published(event: BusEvent, index: number): void {
    if (this.filter && !this.finished && !this.startError && this.position === index && !this.filter(event.payload as PayloadOf[S])) {
      if (compareEventIds(event.eventId, this.cursor) > 0) this.cursor = event.eventId;
      this.position = index + 1;
      return;
    }
    this.wake();
  }

  protected release(): void {
    this.log.subscribers.delete(this);
  }

  private checkNotExpired(): void {
    const trimmed = this.log.newestTrimmed;
    if (trimmed !== null && compareEventIds(this.cursor, trimmed) < 0) throw this.expired();
  }

  private expired(): EventIdExpiredError {
    return new EventIdExpiredError(this.cursor, this.log.at(this.log.firstIndex)?.eventId ?? null);
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorReply } from 'redis';
import { BadEventIdError, compareEventIds, EventIdExpiredError, parseEventId } from './event-bus';
import type { BusEvent, EventId, EventStream, PayloadOf } from './event-types';
import { readScript, toEvent, PAYLOAD_FIELD, type ReadResult, type RedisClient } from './redis-scripts';
import { SubscriptionIterator } from './subscription-iterator';

/** What a stream reader and its subscriptions need from the bus. */
export interface StreamContext {
  readonly stream: EventStream;
  readonly key: string;
  /** The bus's shared, non-blocking connection (catch-up reads). */
  readonly commands: RedisClient;
  /** Events per catch-up read and per XREAD. */
  readonly batchSize: number;
  /** Most live events a subscriber may have queued before it falls back to reading from Redis. */
  readonly liveBufferSize: number;
  readonly retryDelayMs: number;
  readonly onError: (error: unknown) => void;
}

/** Connection trouble is retried; an error reply from Redis (or ours) is a real answer and is not. */
export function isTransient(error: unknown): boolean {
  return !(error instanceof ErrorReply || error instanceof EventIdExpiredError || error instanceof BadEventIdError);
}

/**
 * The one blocking reader of a stream in this bus instance: `XREAD BLOCK` on its own connection (a blocked
 * connection cannot serve anything else), fanned out in order to every local subscriber. Subscribers that
 * are behind read from Redis with the shared connection and join this fan-out when they reach `position`.
 *
 * Reconnects: node-redis reconnects the socket by itself; this loop only has to keep asking from `position`,
 * the last id it fanned out, so a dropped connection or a Redis restart neither repeats nor skips an event.
 */
export class StreamReader {
  /** Id of the last event fanned out (null until the reader has found the end of the stream). */
  position: EventId | null = null;
  /**
   * Set when Redis came back without the events up to this id (restarted without persistence): subscribers
   * resuming from before it are told their history is gone instead of silently skipping it.
   */
  lostThrough: EventId | null = null;
  readonly subscribers = new Set<RedisSubscription<EventStream>>();
  private stopped = false;
  /** Cuts short the pause between retries when the reader is stopped. */
  private readonly stopping = new AbortController();
  /** After a connection error: check what Redis still has before reading on. */
  private verify = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly context: StreamContext,
    private readonly client: RedisClient,
    private readonly blockMs: number,
  ) {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const subscriber of [...this.subscribers]) subscriber.finish();
    this.client.destroy(); // rejects the pending XREAD BLOCK at once instead of waiting for it to time out
    await this.done;
  }

  private async run(): Promise<void> {
    const { stream, key, batchSize } = this.context;
    try {
      await this.client.connect(); // node-redis retries until it connects; only destroy() (stop) rejects it
    } catch {
      return;
    }
    // A destroy() that lands while the socket is still connecting does not close it in node-redis 6.3.
    if (this.stopped) return this.client.destroy();
    while (!this.stopped) {
      try {
        if (this.position === null || this.verify) {
          const bounds = await readScript(this.client, key, stream, null, 0);
          // Start at the end: subscribers that want older events read them from Redis themselves.
          if (this.position === null) this.position = bounds.lastGenerated;
          else if (isLost(this.position, bounds)) this.lostThrough = this.position;
          this.verify = false;
          for (const subscriber of this.subscribers) subscriber.wake();
          continue;
        }
        const reply = await this.client.xRead({ key, id: this.position }, { BLOCK: this.blockMs, COUNT: batchSize });
        if (this.stopped) return;
        for (const { messages } of reply ?? []) {
          for (const { id, message } of messages) {
            const event = toEvent(stream, String(id), String(message[PAYLOAD_FIELD]));
            const previous = this.position;
            this.position = event.eventId;
            for (const subscriber of this.subscribers) subscriber.offer(event, previous);
          }
        }
      } catch (error) {
        if (this.stopped) return;
        if (!isTransient(error)) this.context.onError(error);
        this.verify = true;
        await sleep(this.context.retryDelayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }
}

/**
 * An id the reader delivered that Redis neither keeps nor reports as trimmed: it went down with the server
 * (restarted empty, or from a snapshot older than the id). Our publish script never trims the newest entry
 * and records every trim in max-deleted-entry-id, so these checks do not fire for retention.
 */
function isLost(delivered: EventId, bounds: ReadResult<EventStream>): boolean {
  if (delivered === '0-0' || compareEventIds(bounds.maxDeleted, delivered) >= 0) return false;
  if (compareEventIds(bounds.lastGenerated, delivered) < 0) return true;
  return bounds.oldestRetained === null || compareEventIds(bounds.oldestRetained, delivered) > 0;
}

/**
 * One subscriber. Either catching up (reading batches from Redis after `cursor`) or live (fed by the reader).
 * It switches to live only when its cursor has reached the reader's position, in the same synchronous step in
 * which it checks that, so every event the reader fans out afterwards is one it has not seen, and an event it
 * already read from Redis ahead of the reader is dropped by the `> last id` check: no gap, no duplicate.
 * A live subscriber that falls more than `liveBufferSize` events behind drops its queue and catches up from
 * Redis again, so a slow consumer costs bounded memory and never slows the reader or other subscribers.
 */
export class RedisSubscription<S extends EventStream> extends SubscriptionIterator<S> {
  /** Id of the last event delivered, or the resume point; null until the start is resolved. */
  private cursor: EventId | null = null;
  private queue: BusEvent<S>[] = [];
  private live = false;
  private readonly filter: ((payload: unknown) => boolean) | undefined;
  private readonly started: Promise<void>;

  constructor(
    private readonly context: StreamContext,
    private readonly reader: StreamReader,
    after: EventId | undefined,
    filter: ((payload: PayloadOf[S]) => boolean) | undefined,
  ) {
    super();
    // Held loosely typed: the reader fans out to subscribers of one stream, whatever their S says.
    this.filter = filter as ((payload: unknown) => boolean) | undefined;
    reader.subscribers.add(this);
    // Resolved now, not on the first next(): "from now on" must mean the moment subscribe() was called, and
    // the read is queued on the shared connection before any publish the caller makes next.
    this.started = this.start(after);
    this.started.catch(() => undefined); // reported by the first next()
  }

  /** Called by the reader, in stream order, for every event it fans out; `previous` is the one it fanned out before. */
  offer(event: BusEvent<EventStream>, previous: EventId | null): void {
    if (!this.live || this.finished) {
      // Caught up but not switched to live (its consumer has not asked since): a refused event is passed over here.
      if (!this.finished && this.filter && this.queue.length === 0 && this.cursor === previous && !this.filter(event.payload)) {
        this.cursor = event.eventId;
        return;
      }
      return this.wake(); // catching up: the reader moved, check again
    }
    const last = this.queue.length ? this.queue[this.queue.length - 1].eventId : this.cursor!;
    if (compareEventIds(event.eventId, last) <= 0) return;
    if (this.filter && !this.filter(event.payload)) {
      // Passed over without waking the subscriber. With nothing queued before it, the cursor moves past it; else
      // the queued events move it, and a catch-up re-read would refuse it again.
      if (this.queue.length === 0) this.cursor = event.eventId;
      return;
    }
    if (this.queue.length >= this.context.liveBufferSize) {
      this.queue = [];
      this.live = false;
    } else {
      this.queue.push(event as BusEvent<S>);
    }
    this.wake();
  }

  protected async pull(): Promise<BusEvent<S> | null> {
    try {
      return await this.nextEvent();
    } catch (error) {
      if (this.finished) return null; // unsubscribed or bus closed while a read was failing
      throw error;
    }
  }

  private async nextEvent(): Promise<BusEvent<S> | null> {
    await this.started;
    for (;;) {
      if (this.finished) return null;
      const event = this.queue.shift();
      if (event) {
        this.cursor = event.eventId;
        if (this.filter && !this.filter(event.payload)) continue; // a catch-up batch holds every event
        return event;
      }
      const position = this.reader.position;
      if (!this.live && position !== null) {
        if (compareEventIds(this.cursor!, position) >= 0) {
          this.live = true;
          continue;
        }
        await this.catchUp();
        continue;
      }
      await this.waitForWake();
    }
  }

  protected release(): void {
    this.reader.subscribers.delete(this);
    this.queue = [];
  }

  private async start(after: EventId | undefined): Promise<void> {
    if (after !== undefined) parseEventId(after);
    const { result, readerPosition } = await this.read(after ?? null, after === undefined ? 0 : this.context.batchSize, after === undefined);
    if (after !== undefined) {
      this.cursor = after;
      return this.accept(result, readerPosition);
    }
    // "From now on": the end of the stream, or what the reader already delivered if Redis lost that since.
    const behind = readerPosition !== null && compareEventIds(readerPosition, result.lastGenerated) > 0;
    this.cursor = behind ? readerPosition : result.lastGenerated;
  }

  private async catchUp(): Promise<void> {
    const cursor = this.cursor!;
    const { result, readerPosition } = await this.read(cursor, this.context.batchSize);
    if (this.finished || this.live || this.cursor !== cursor) return;
    this.accept(result, readerPosition);
  }

  /** Takes a batch read after the cursor, unless events after the cursor are gone. */
  private accept({ events, maxDeleted, oldestRetained }: ReadResult<S>, readerPosition: EventId | null): void {
    const cursor = this.cursor!;
    const expired = () => new EventIdExpiredError(cursor, oldestRetained);
    if (compareEventIds(cursor, maxDeleted) < 0) throw expired();
    const lost = this.reader.lostThrough;
    if (lost !== null && compareEventIds(cursor, lost) < 0) throw expired();
    // The reader had delivered `readerPosition` before this read was sent, so the read must return it or stop
    // short of it — unless Redis lost it since (restart without persistence, before the reader noticed).
    if (readerPosition !== null && compareEventIds(cursor, readerPosition) < 0) {
      const reachesIt = events.length < this.context.batchSize || compareEventIds(events[events.length - 1].eventId, readerPosition) >= 0;
      if (reachesIt && !events.some((event) => event.eventId === readerPosition)) throw expired();
    }
    this.queue = events;
  }

  /** Reads through connection trouble (retrying until it works or the subscription ends). */
  private async read(after: EventId | null, count: number, ordered = false): Promise<{ result: ReadResult<S>; readerPosition: EventId | null }> {
    for (;;) {
      const readerPosition = this.reader.position; // taken before the read is sent
      try {
        return { result: await readScript(this.context.commands, this.context.key, this.context.stream as S, after, count, { ordered }), readerPosition };
      } catch (error) {
        if (this.finished || !isTransient(error)) throw error;
        await sleep(this.context.retryDelayMs);
      }
    }
  }
}

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
import { createRedisClient, PAYLOAD_FIELD, loadScripts, publishScript, readScript, toEvent, type RedisClient } from './redis-scripts';
import { isTransient, RedisSubscription, StreamReader, type StreamContext } from './redis-stream-reader';

export interface RedisEventBusOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Streams are stored at `<keyPrefix>:<stream>`, e.g. `forge:events:production`. */
  keyPrefix?: string;
  retention?: Retention;
  /** CLIENT SETNAME of every connection, so they can be told apart in CLIENT LIST. */
  clientName?: string;
  /**
   * Longest wait for a reply to any non-blocking command. Together with the disabled offline queue (commands
   * fail at once while disconnected) this makes publish() fail fast during an outage instead of hanging.
   */
  commandTimeoutMs?: number;
  /** How long connect() waits for the first connection before giving up (later drops reconnect forever). */
  connectTimeoutMs?: number;
  /** XREAD BLOCK duration; the reader re-issues it in a loop, so this only bounds how stale a dead socket gets. */
  blockMs?: number;
  /** Events per catch-up read and per XREAD. */
  batchSize?: number;
  /** Live events a subscriber may have queued before it falls back to reading from Redis (≤ retention count). */
  liveBufferSize?: number;
  /** Pause before the reader or a catch-up read retries after a connection error. */
  retryDelayMs?: number;
  logger?: { warn(details: object, message: string): void };
}

/** Redis could not be reached (or did not answer in time): the event was not published (or may not have been). */
export class EventBusUnavailableError extends Error {
  override name = 'EventBusUnavailableError';
}

/**
 * Redis Streams bus: one stream per event stream, shared by every MES and gateway instance, so one global
 * order per stream and the Redis stream id is the event id. Each instance opens one shared connection for
 * commands plus, per stream that has local subscribers, one blocking reader connection — never one per
 * subscriber. Retention is applied by the publish script (see redis-scripts.ts): exact, on the Redis clock,
 * on every publish; like the in-memory bus, nothing is trimmed while nothing is published.
 */
export class RedisEventBus implements EventBus {
  private readonly contexts = new Map<EventStream, StreamContext>();
  private readonly readers = new Map<EventStream, StreamReader>();
  /** Highest id published by this instance per stream (see the floor in the publish script). */
  private readonly published = new Map<EventStream, EventId>();
  private closed = false;

  private constructor(
    private readonly commands: RedisClient,
    private readonly options: Required<Omit<RedisEventBusOptions, 'logger'>> & Pick<RedisEventBusOptions, 'logger'>,
  ) {}

  static async connect(options: RedisEventBusOptions): Promise<RedisEventBus> {
    const settings = {
      url: options.url,
      keyPrefix: options.keyPrefix ?? 'forge:events',
      retention: options.retention ?? DEFAULT_RETENTION,
      clientName: options.clientName ?? 'forge-event-bus',
      commandTimeoutMs: options.commandTimeoutMs ?? 2_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      blockMs: options.blockMs ?? 5_000,
      batchSize: options.batchSize ?? 500,
      liveBufferSize: options.liveBufferSize ?? 1_000,
      retryDelayMs: options.retryDelayMs ?? 200,
      logger: options.logger,
    };
    const commands = createRedisClient(settings.url, settings.clientName, settings.commandTimeoutMs, settings.connectTimeoutMs);
    const bus = new RedisEventBus(commands, settings);
    bus.watch(commands);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EventBusUnavailableError(`cannot connect to Redis at ${redact(settings.url)} within ${settings.connectTimeoutMs} ms`)), settings.connectTimeoutMs);
    });
    const connecting = commands.connect();
    try {
      await Promise.race([connecting.then(() => loadScripts(commands)), timeout]);
    } catch (error) {
      commands.destroy();
      // node-redis 6.3 can complete a connect that destroy() interrupted mid-way: close that socket too.
      connecting.then(() => commands.destroy(), () => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return bus;
  }

  async publish<S extends EventStream>(stream: S, payload: PayloadOf[S]): Promise<EventId> {
    if (this.closed) throw new Error('event bus is closed');
    const { retention, batchSize } = this.options;
    const eventId = await this.command(`publish to "${stream}"`, () =>
      publishScript(this.commands, this.key(stream), {
        payload: JSON.stringify(payload),
        maxEvents: retention.maxEvents,
        maxAgeMs: retention.maxAgeMs,
        floor: this.floor(stream),
        trimBatch: batchSize * 20,
      }),
    );
    const previous = this.published.get(stream);
    if (!previous || compareEventIds(eventId, previous) > 0) this.published.set(stream, eventId);
    return eventId;
  }

  subscribe<S extends EventStream>(stream: S, options: SubscribeOptions<S> = {}): AsyncIterableIterator<BusEvent<S>> {
    // After close() no reader may be started again (it would open a connection nobody closes).
    if (this.closed) return (async function* () {})();
    return new RedisSubscription<S>(this.context(stream), this.reader(stream), options.after, options.filter);
  }

  async ensureResumable(stream: EventStream, after: EventId): Promise<void> {
    parseEventId(after);
    const bounds = await this.command(`check "${stream}"`, () => readScript(this.commands, this.key(stream), stream, null, 0));
    const lost = this.readers.get(stream)?.lostThrough ?? '0-0';
    if (compareEventIds(after, bounds.maxDeleted) < 0 || compareEventIds(after, lost) < 0) {
      throw new EventIdExpiredError(after, bounds.oldestRetained);
    }
  }

  async head(stream: EventStream): Promise<EventId> {
    // last-generated-id, from the same atomic read the subscriptions use ('0-0' while the stream does not exist).
    const bounds = await this.command(`inspect "${stream}"`, () => readScript(this.commands, this.key(stream), stream, null, 0, { ordered: true }));
    return bounds.lastGenerated;
  }

  async get<S extends EventStream>(stream: S, eventId: EventId): Promise<BusEvent<S> | null> {
    parseEventId(eventId);
    const entries = await this.command(`read "${stream}"`, () => this.commands.xRange(this.key(stream), eventId, eventId));
    const entry = entries?.[0];
    return entry ? toEvent(stream, String(entry.id), String(entry.message[PAYLOAD_FIELD])) : null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.readers.values()].map((reader) => reader.stop()));
    // A graceful QUIT needs a live connection; during an outage just drop the socket.
    if (this.commands.isReady) await this.commands.close();
    else this.commands.destroy();
  }

  /** Local subscribers of a stream (diagnostics; also shows that return() releases them). */
  subscriberCount(stream: EventStream): number {
    return this.readers.get(stream)?.subscribers.size ?? 0;
  }

  private key(stream: EventStream): string {
    return `${this.options.keyPrefix}:${stream}`;
  }

  private floor(stream: EventStream): EventId | null {
    const ids = [this.published.get(stream), this.readers.get(stream)?.position].filter((id): id is EventId => !!id);
    return ids.sort(compareEventIds).pop() ?? null;
  }

  private context(stream: EventStream): StreamContext {
    let context = this.contexts.get(stream);
    if (!context) {
      const { batchSize, liveBufferSize, retention, retryDelayMs, logger } = this.options;
      context = {
        stream,
        key: this.key(stream),
        commands: this.commands,
        batchSize,
        // A subscriber never holds more than the log itself keeps (same bound as the in-memory bus).
        liveBufferSize: Math.max(1, Math.min(liveBufferSize, retention.maxEvents)),
        retryDelayMs,
        onError: (error) => logger?.warn({ err: error, stream }, 'event bus: stream reader error'),
      };
      this.contexts.set(stream, context);
    }
    return context;
  }

  /** Started with the first subscriber of the stream and kept until close(): at most one connection per stream. */
  private reader(stream: EventStream): StreamReader {
    let reader = this.readers.get(stream);
    if (!reader) {
      const { blockMs, commandTimeoutMs } = this.options;
      // The reply to XREAD BLOCK legitimately takes up to blockMs, so its timeout is longer than other commands'.
      const client = this.commands.duplicate({ commandOptions: { timeout: blockMs + commandTimeoutMs } });
      this.watch(client);
      reader = new StreamReader(this.context(stream), client, blockMs);
      this.readers.set(stream, reader);
    }
    return reader;
  }

  /** Runs a command and turns connection trouble into EventBusUnavailableError; Redis/our own errors pass. */
  private async command<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new EventBusUnavailableError(`event bus: cannot ${what}: Redis is unavailable (${reason})`, { cause: error });
    }
  }

  /** node-redis emits 'error' on every failed (re)connect; without a listener that would crash the process. */
  private watch(client: RedisClient): void {
    client.on('error', (error: unknown) => {
      if (!this.closed) this.options.logger?.warn({ err: error }, 'event bus: Redis connection error');
    });
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}

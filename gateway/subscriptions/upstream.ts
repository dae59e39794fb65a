import { Client, createClient } from 'graphql-ws';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import { compareEventIds } from '../../subgraphs/mes/events/event-bus';
import { IDENTITY_HEADER } from '../../subgraphs/common/identity';

/** Who an upstream connection runs as: one socket per subgraph and identity, signed afresh on every (re)connect. */
export interface UpstreamIdentity {
  /** Same key, same rights: subscribers sharing it may share a socket. */
  key: string;
  sign(): string;
}

/**
 * One graphql-ws connection per subgraph URL, shared by every subscription of this gateway (the protocol
 * multiplexes operations on one socket). Reconnection is not left to the client library: it would resubscribe
 * with the original arguments, whereas each stream must resume after the last event it received.
 */
export class UpstreamPool {
  private readonly clients = new Map<string, Client>();

  /** lazyCloseTimeoutMs: how long an idle socket stays open for the next subscription. */
  constructor(private readonly options: { lazyCloseTimeoutMs?: number } = {}) {}

  client(url: string, identity?: UpstreamIdentity): Client {
    const key = identity ? `${url}#${identity.key}` : url;
    let client = this.clients.get(key);
    if (!client) {
      // connectionParams is a function: each reconnect presents a fresh, short-lived signed identity.
      const connectionParams = identity ? () => ({ [IDENTITY_HEADER]: identity.sign() }) : undefined;
      client = createClient({ url, webSocketImpl: WebSocket, lazy: true, lazyCloseTimeout: this.options.lazyCloseTimeoutMs ?? 5_000, retryAttempts: 0, keepAlive: 10_000, connectionParams });
      this.clients.set(key, client);
    }
    return client;
  }

  /** After a transport failure a client is replaced, so the next subscribe dials afresh. */
  discard(url: string, client: Client): void {
    for (const [key, held] of this.clients) {
      if (held !== client || (key !== url && !key.startsWith(`${url}#`))) continue;
      this.clients.delete(key);
      void client.dispose();
    }
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

export interface ResumableStreamOptions {
  pool: UpstreamPool;
  url: string;
  query: string;
  variables(after: string | null): Record<string, unknown>;
  /** The root field in the upstream result. */
  field: string;
  after: string | null;
  /** `event` is the root field's value, as the subgraph sent it. */
  onEvent(eventId: string, event?: Record<string, unknown>): void;
  /** GraphQL errors from the subgraph (bad arguments, expired resume point): the stream cannot go on. */
  onFatal(errors: readonly GraphQLFormattedError[]): void;
  /** Observes transport failures (logs, metrics, tests). */
  onReconnect?(attempt: number, reason: unknown): void;
  /**
   * The socket this attempt subscribes on is connected and acknowledged. Needs a pool of its own: a socket
   * another stream already opened acknowledges nothing new.
   */
  onConnected?(): void;
  /** The subscriber's identity, forwarded to the subgraph in connectionParams (absent: none forwarded). */
  identity?: UpstreamIdentity;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * A subscription to one subgraph that outlives the connection: when the socket drops (subgraph restart,
 * deploy, network), it subscribes again after the last event id it received, with capped exponential backoff.
 * An id not greater than the last one is never passed on, so a replay overlap cannot become a duplicate.
 */
export class ResumableStream {
  private lastEventId: string | null;
  private unsubscribe: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private stopped = false;

  constructor(private readonly options: ResumableStreamOptions) {
    this.lastEventId = options.after;
  }

  start(): void {
    if (this.stopped) return;
    const { pool, url, query, variables, field } = this.options;
    const client = pool.client(url, this.options.identity);
    let open = true;
    const onConnected = this.options.onConnected;
    if (onConnected) client.on('connected', () => open && onConnected());
    this.unsubscribe = client.subscribe<Record<string, { eventId: string }>>(
      { query, variables: variables(this.lastEventId) },
      {
        next: (result: ExecutionResult<Record<string, { eventId: string }>>) => {
          if (!open) return;
          if (result.errors?.length) {
            open = false;
            this.stop();
            this.options.onFatal(result.errors);
            return;
          }
          const event = result.data?.[field];
          const eventId = event?.eventId;
          if (!eventId || (this.lastEventId && compareEventIds(eventId, this.lastEventId) <= 0)) return;
          this.attempts = 0;
          this.lastEventId = eventId;
          this.options.onEvent(eventId, event as unknown as Record<string, unknown>);
        },
        error: (error: unknown) => {
          if (!open) return;
          open = false;
          if (Array.isArray(error)) {
            this.stop();
            this.options.onFatal(error as GraphQLFormattedError[]);
            return;
          }
          pool.discard(url, client);
          this.retry(error);
        },
        // The subgraph ended a stream that has no end: it is going away. Resume elsewhere or later.
        complete: () => {
          if (!open) return;
          open = false;
          this.retry(new Error('upstream completed'));
        },
      },
    );
  }

  private retry(reason: unknown): void {
    if (this.stopped) return;
    this.attempts += 1;
    this.options.onReconnect?.(this.attempts, reason);
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** (this.attempts - 1)) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => this.start(), delay);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

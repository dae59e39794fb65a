import type { GraphQLFormattedError } from 'graphql';
import { IDENTITY_HEADER } from '../../subgraphs/common/identity';
import { ResumableStream, UpstreamPool, type UpstreamIdentity } from '../subscriptions/upstream';
import type { EntityCache } from './entity-cache';

/** The MES's production events, each with the sales order its work order is for. */
const HEAD_QUERY = 'query ForgeCacheHead { eventStreamPosition { production } }';
const EVENTS_SUBSCRIPTION =
  'subscription ForgeCacheInvalidation($after: ID) { productionEvents(after: $after) { eventId workOrder { salesOrder { id } } } }';
/** What the gateway's own identity must hold to read the stream above. */
export const INVALIDATION_SCOPES = ['production:read', 'orders:read'] as const;

const MAX_RESTART_MS = 30_000;

export interface InvalidationStreamOptions {
  cache: EntityCache;
  /** The MES's graphql-ws endpoint (its HTTP endpoint is the same URL over http). */
  url: string;
  identity?: UpstreamIdentity;
  /** The stream broke and the cache went dark until it is back (logs, tests). */
  onInterrupted?(reason: unknown): void;
}

/**
 * Feeds the entity cache the events that make its entries stale. The cache serves only while this stream is
 * connected: it reads the stream's newest event id first and subscribes after it, so every write from then on
 * reaches it, and when the socket drops the cache is emptied and stays dark until a new socket is acknowledged
 * (the stream then resumes after the last event it had, so nothing in between is skipped).
 */
export function startInvalidationStream(options: InvalidationStreamOptions): { stop(): Promise<void> } {
  const { cache, url, identity } = options;
  // A pool of its own: its sockets' acknowledgements are this stream's alone (ResumableStream.onConnected). Its
  // one subscription ends only when it stops or fails, so an idle socket has nothing to wait for.
  const pool = new UpstreamPool({ lazyCloseTimeoutMs: 0 });
  let stream: ResumableStream | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let failures = 0;
  let stopped = false;

  const interrupted = (reason: unknown) => {
    cache.setLive(false);
    options.onInterrupted?.(reason);
  };
  const restart = (reason: unknown) => {
    interrupted(reason);
    stream?.stop();
    stream = null;
    if (stopped) return;
    failures += 1;
    restartTimer = setTimeout(() => void begin(), Math.min(MAX_RESTART_MS, 500 * 2 ** (failures - 1)));
  };

  const begin = async () => {
    restartTimer = null;
    let head: string;
    try {
      head = await readHead(url.replace(/^ws(s?):\/\//, 'http$1://'), identity);
    } catch (error) {
      restart(error);
      return;
    }
    if (stopped) return;
    stream = new ResumableStream({
      pool,
      url,
      query: EVENTS_SUBSCRIPTION,
      variables: (after) => ({ after }),
      field: 'productionEvents',
      after: head,
      identity,
      onEvent: (_eventId, event) => {
        failures = 0;
        const salesOrderId = (event?.workOrder as { salesOrder?: { id?: unknown } } | null | undefined)?.salesOrder?.id;
        if (typeof salesOrderId === 'string') cache.invalidate('SalesOrder', salesOrderId);
      },
      onReconnect: (_attempt, reason) => {
        interrupted(reason);
        // A resubscription on a socket that stayed open would not be acknowledged again: dial afresh.
        pool.discard(url, pool.client(url, identity));
      },
      // Live once a socket is acknowledged: the subscription goes out on it, and resumes after the head (or
      // the last event since), so every write from the head on reaches the cache.
      onConnected: () => cache.setLive(true),
      onFatal: (errors: readonly GraphQLFormattedError[]) => restart(new Error(errors.map((e) => e.message).join('; '))),
    });
    stream.start();
  };
  void begin();

  return {
    async stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      stream?.stop();
      cache.setLive(false);
      await pool.close();
    },
  };
}

/** The stream's newest event id, read over HTTP before subscribing. */
async function readHead(httpUrl: string, identity: UpstreamIdentity | undefined): Promise<string> {
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(identity ? { [IDENTITY_HEADER]: identity.sign() } : {}) },
    body: JSON.stringify({ query: HEAD_QUERY }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => null)) as { data?: { eventStreamPosition?: { production?: unknown } }; errors?: GraphQLFormattedError[] } | null;
  const head = body?.data?.eventStreamPosition?.production;
  if (typeof head === 'string') return head;
  throw new Error(`no production stream position from ${httpUrl} (HTTP ${response.status}${body?.errors ? `: ${body.errors.map((e) => e.message).join('; ')}` : ''})`);
}

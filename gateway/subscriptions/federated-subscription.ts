import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';
import type { SplitSubscription } from './operation-split';
import { ResumableStream, UpstreamPool, type UpstreamIdentity } from './upstream';

/** Runs one hydration query through the gateway's planner (all subgraphs) and returns its result. */
export type Hydrate = (query: string, variables: Record<string, unknown>) => Promise<ExecutionResult>;

export interface FederatedSubscriptionOptions {
  split: SplitSubscription;
  pool: UpstreamPool;
  hydrate: Hydrate;
  /**
   * Hydrated events the client has not taken yet; one more and it is a slow consumer. Events still waiting for
   * hydration (the gateway's own backlog, tiny ids) may reach BACKLOG_FACTOR times this before the same applies.
   */
  bufferSize: number;
  /** Hydrations running at once for this subscription; results are still delivered in event order. */
  concurrency: number;
  onSlowConsumer(lastDeliveredEventId: string | null): void;
  onReconnect?(attempt: number, reason: unknown): void;
  /** Forwarded to the owning subgraph, which scopes the stream to the subscriber's tenant. */
  upstreamIdentity?: UpstreamIdentity;
}

type Pending = { eventId: string; result: Promise<ExecutionResult> | null };

/** How many un-hydrated event ids may queue per buffered event: a burst is absorbed, a flood is not. */
const BACKLOG_FACTOR = 20;

/**
 * A client subscription served by the gateway: the owning subgraph streams matching event ids, and each one is
 * hydrated with the client's full selection by the federated query planner, in order. Memory is bounded by
 * `bufferSize`: a client that falls that far behind is closed (and can resume), it never slows anybody else.
 */
export class FederatedSubscription implements AsyncGenerator<ExecutionResult> {
  private readonly pending: Pending[] = [];
  private readonly upstream: ResumableStream;
  private waiting: ((done: boolean) => void) | null = null;
  private running = 0;
  /** Hydrated and not yet taken by the client. */
  private ready = 0;
  private finished = false;
  private failure: GraphQLError | null = null;
  private lastDelivered: string | null;

  constructor(private readonly options: FederatedSubscriptionOptions) {
    const { split } = options;
    this.lastDelivered = split.clientAfter;
    this.upstream = new ResumableStream({
      pool: options.pool,
      url: split.route.url,
      query: split.upstream.query,
      variables: split.upstream.variables,
      field: split.upstream.field,
      after: split.clientAfter,
      onEvent: (eventId) => this.accept(eventId),
      onFatal: (errors) => this.fail(errors),
      onReconnect: options.onReconnect,
      identity: options.upstreamIdentity,
    });
    this.upstream.start();
  }

  private accept(eventId: string): void {
    if (this.finished) return;
    if (this.pending.length >= this.options.bufferSize * BACKLOG_FACTOR) return this.closeSlowConsumer();
    this.pending.push({ eventId, result: null });
    this.startHydrations();
    this.wake(false);
  }

  private closeSlowConsumer(): void {
    const last = this.lastDelivered;
    void this.return();
    this.options.onSlowConsumer(last);
  }

  private startHydrations(): void {
    for (const entry of this.pending) {
      if (this.running >= this.options.concurrency) return;
      if (entry.result) continue;
      this.running += 1;
      const { hydration } = this.options.split;
      entry.result = this.options
        .hydrate(hydration.query, hydration.variables(entry.eventId))
        .catch((error: unknown) => ({ errors: [asGraphQLError(error)] }))
        .finally(() => {
          this.running -= 1;
          if (this.finished) return;
          // The client has not taken what is ready: it is not reading. Stop before memory grows for it.
          if (++this.ready > this.options.bufferSize) return this.closeSlowConsumer();
          this.startHydrations();
        });
    }
  }

  private fail(errors: readonly GraphQLFormattedError[]): void {
    const [first] = errors;
    this.failure = new GraphQLError(first?.message ?? 'upstream subscription failed', { extensions: first?.extensions });
    this.finished = true;
    this.wake(true);
  }

  private wake(done: boolean): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(done);
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    while (this.pending.length === 0) {
      if (this.failure) throw this.failure;
      if (this.finished) return { done: true, value: undefined };
      await new Promise<boolean>((resolve) => (this.waiting = resolve));
    }
    const entry = this.pending[0];
    if (!entry.result) this.startHydrations();
    const result = await entry.result!;
    this.pending.shift();
    this.ready -= 1;
    this.lastDelivered = entry.eventId;
    this.startHydrations();
    const key = this.options.split.responseKey;
    return { done: false, value: withEventData(result, key) };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.finished = true;
    this.upstream.stop();
    this.pending.length = 0;
    this.wake(true);
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}

/** A hydration that found nothing (event trimmed meanwhile) still yields a frame, with the reason. */
function withEventData(result: ExecutionResult, key: string): ExecutionResult {
  if (result.data?.[key] !== null || result.errors?.length) return result;
  return {
    data: result.data,
    errors: [new GraphQLError('the event is no longer retained', { path: [key], extensions: { code: ErrorCode.EVENT_ID_EXPIRED } })],
  };
}

function asGraphQLError(error: unknown): GraphQLError {
  return error instanceof GraphQLError ? error : new GraphQLError(`hydration failed: ${(error as Error)?.message ?? String(error)}`);
}

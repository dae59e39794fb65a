import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { compareEventIds } from '../../subgraphs/mes/events/event-bus';
import { newEntry, type Entry, type EntryOwner, type Hydrate, type HydrationBatcher } from './hydration-batcher';
import { encodeNext, withEventData, type FrameSink } from './next-frame';
import type { SplitSubscription } from './operation-split';
import type { Rights } from './share-keys';
import type { GroupMember, Membership, SubscriptionHub } from './subscription-hub';
import type { UpstreamIdentity } from './upstream';

export type { Hydrate } from './hydration-batcher';

export interface FederatedSubscriptionOptions {
  split: SplitSubscription;
  hub: SubscriptionHub;
  hydrate: Hydrate;
  /** The rights `hydrate` runs with: subscribers with equal rights (and selection) share hydrated events. */
  rights?: Rights;
  /**
   * Hydrated events the client has not taken yet; one more and it is a slow consumer. Events still waiting for
   * hydration (the gateway's own backlog, tiny ids) may reach BACKLOG_FACTOR times this before the same applies.
   */
  bufferSize: number;
  /** Hydrations of this subscriber's own catch-up events running at once; results are still delivered in order. */
  concurrency: number;
  onSlowConsumer(lastDeliveredEventId: string | null): void;
  /** Forwarded to the owning subgraph, which scopes the stream to the subscriber's tenant. */
  upstreamIdentity?: UpstreamIdentity;
  /**
   * Set: each event is written to the client as soon as it (and every one before it) is hydrated, as a `next`
   * frame whose payload is serialized once per hydration group (next-frame.ts); the iterator then yields
   * nothing and only ends (done, or the failure). The buffer bound applies to the frames the socket has not
   * handed to the OS yet. Unset: results are pulled with next(), and the bound to hydrated events not pulled.
   */
  sink?: FrameSink;
}

/** How many un-hydrated event ids may queue per buffered event: a burst is absorbed, a flood is not. */
const BACKLOG_FACTOR = 20;

/**
 * A client subscription served by the gateway, one subscriber of a SubscriptionHub group: the owning subgraph
 * streams matching event ids once for every subscriber with the same share key, each event is hydrated once
 * per group by the federated query planner, and lands in this subscriber's own bounded buffer, taken in order.
 *
 * Resuming (`after` set): the subscriber first reads a stream of its own from `after` (the subgraph replays
 * what it missed, or refuses with EVENT_ID_EXPIRED / BAD_USER_INPUT), while holding the shared stream's new
 * events aside. Once its own stream reaches the first held event, it stops it and goes on with the shared
 * stream, skipping (held or later) events up to the last one its own stream gave, since the shared stream may
 * still be behind it: no gap (both streams are contiguous), no duplicate (ids compared during that overlap).
 * A quiet shared stream keeps the own stream open until it delivers something.
 *
 * Memory is bounded by `bufferSize`: a client that falls that far behind is closed (and can resume); it never
 * slows its group, whose events it only references.
 */
export class FederatedSubscription implements AsyncGenerator<ExecutionResult>, GroupMember, EntryOwner {
  private readonly pending: Entry[] = [];
  private readonly membership: Membership;
  private waiting: ((done: boolean) => void) | null = null;
  /** Pulled mode: hydrated and not yet taken by the client. */
  private ready = 0;
  private finished = false;
  private failure: GraphQLError | null = null;
  private lastDelivered: string | null;
  /** Catch-up state: own stream, its hydrations, and shared events held until it meets them. */
  private catchUp: { stop(): void } | null = null;
  private catchUpHydration: HydrationBatcher | null = null;
  private held: Entry[] = [];
  private lastAccepted: string | null;
  /** Shared events from this seq on are in `pending` (or taken). */
  private liveFrom = Number.POSITIVE_INFINITY;
  /** catchUp: own stream, shared events held; overlap: own stream met the shared one, which may still be behind. */
  private mode: 'catchUp' | 'overlap' | 'live' = 'catchUp';

  constructor(private readonly options: FederatedSubscriptionOptions) {
    const { split, hub } = options;
    this.lastDelivered = this.lastAccepted = split.clientAfter;
    this.membership = hub.join({ split, upstreamIdentity: options.upstreamIdentity, rights: options.rights, hydrate: options.hydrate }, this);
    if (split.clientAfter === null) {
      this.mode = 'live';
      this.liveFrom = this.membership.group.nextSeq;
      return;
    }
    this.catchUpHydration = hub.privateBatcher(split, options.hydrate, options.concurrency);
    this.catchUp = hub.openPrivate({
      url: split.route.url,
      query: split.upstream.query,
      variables: split.upstream.variables,
      field: split.upstream.field,
      after: split.clientAfter,
      identity: options.upstreamIdentity,
      onEvent: (eventId) => this.acceptOwn(eventId),
      onFatal: (errors) => this.fail(errors),
    });
  }

  deliver(entry: Entry): void {
    if (this.finished) return;
    if (this.mode === 'live') return this.push(entry);
    if (this.mode === 'overlap') {
      // The shared stream may still be behind the own one: skip what was already accepted from it.
      if (compareEventIds(entry.eventId, this.lastAccepted!) <= 0) return;
      this.mode = 'live';
      this.liveFrom = entry.seq;
      return this.push(entry);
    }
    this.held.push(entry);
    // Held events only need to be contiguous from the first one: too many, start holding afresh.
    if (this.held.length > this.options.bufferSize * BACKLOG_FACTOR) this.held = [];
  }

  /** A shared event of the group, or one of this subscriber's own catch-up events (seq -1), is hydrated. */
  settled(entry: Entry): void {
    if (this.finished || (entry.seq >= 0 && entry.seq < this.liveFrom)) return;
    this.hydrated();
  }

  private hydrated(): void {
    if (this.options.sink) this.flush(this.options.sink);
    else this.countReady();
  }

  private acceptOwn(eventId: string): void {
    if (this.finished || this.mode !== 'catchUp') return;
    const entry = newEntry(eventId, -1);
    this.lastAccepted = eventId;
    this.push(entry);
    this.catchUpHydration!.add(entry, this);
    if (this.held.length > 0 && compareEventIds(eventId, this.held[0]!.eventId) >= 0) this.goLive();
  }

  /** Own stream met the shared one: continue with the shared events after the last one accepted. */
  private goLive(): void {
    this.catchUp?.stop();
    this.catchUp = null;
    const last = this.lastAccepted!;
    const fresh = this.held.filter((entry) => compareEventIds(entry.eventId, last) > 0);
    this.held = [];
    if (fresh.length === 0) return void (this.mode = 'overlap');
    this.mode = 'live';
    this.liveFrom = fresh[0]!.seq;
    for (const entry of fresh) {
      this.push(entry);
      if (entry.hydrated && !this.options.sink) this.countReady();
    }
  }

  private push(entry: Entry): void {
    if (this.finished) return;
    if (this.pending.length >= this.options.bufferSize * BACKLOG_FACTOR) return this.closeSlowConsumer(this.resumePoint());
    this.pending.push(entry);
    if (!this.options.sink) this.wake(false);
    else if (entry.hydrated) this.flush(this.options.sink);
  }

  /** Writes every event hydrated in order; then a socket that keeps too many of them unsent is a slow consumer. */
  private flush(sink: FrameSink): void {
    let sent = false;
    while (this.pending.length > 0 && this.pending[0]!.hydrated) {
      const entry = this.pending.shift()!;
      sink.send(encodeNext(entry.hydrated!, this.options.split.responseKey), entry.eventId);
      sent = true;
    }
    if (sent && sink.backlog() > this.options.bufferSize) this.closeSlowConsumer(this.resumePoint());
  }

  /** The client has not taken what is ready: it is not reading. Stop before memory grows for it. */
  private countReady(): void {
    if (++this.ready > this.options.bufferSize) this.closeSlowConsumer(this.resumePoint());
  }

  /** The last event that left the gateway for the client (written to its socket, or pulled). */
  private resumePoint(): string | null {
    return this.options.sink?.lastFlushed() ?? this.lastDelivered;
  }

  /** `last`: the last event the client was given, for it to resume after. */
  private closeSlowConsumer(last: string | null): void {
    if (this.finished) return;
    void this.return();
    this.options.onSlowConsumer(last);
  }

  fail(errors: readonly GraphQLFormattedError[]): void {
    if (this.finished) return;
    const [first] = errors;
    this.failure = new GraphQLError(first?.message ?? 'upstream subscription failed', { extensions: first?.extensions });
    this.end();
    this.wake(true);
  }

  private end(): void {
    this.finished = true;
    this.catchUp?.stop();
    this.catchUp = null;
    this.membership.leave();
    this.pending.length = 0;
    this.catchUpHydration?.drop(this);
    this.held = [];
  }

  private wake(done: boolean): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(done);
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.options.sink) {
      while (!this.finished) await new Promise<boolean>((resolve) => (this.waiting = resolve));
      if (this.failure) throw this.failure;
      return { done: true, value: undefined };
    }
    while (this.pending.length === 0) {
      if (this.failure) throw this.failure;
      if (this.finished) return { done: true, value: undefined };
      await new Promise<boolean>((resolve) => (this.waiting = resolve));
    }
    const entry = this.pending[0]!;
    const { result } = await entry.result;
    if (this.pending[0] === entry) {
      this.pending.shift();
      this.ready -= 1;
    }
    this.lastDelivered = entry.eventId;
    return { done: false, value: withEventData(result, this.options.split.responseKey) };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.finished) this.end();
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

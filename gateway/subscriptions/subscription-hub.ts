import type { GraphQLFormattedError } from 'graphql';
import { HydrationBatcher, newEntry, type Entry, type EntryOwner, type Hydrate } from './hydration-batcher';
import type { SplitSubscription } from './operation-split';
import { hydrationKey, upstreamKey, type Rights } from './share-keys';
import type { ResumableStreamOptions, UpstreamIdentity } from './upstream';

export type { Entry, Hydrate, Hydrated } from './hydration-batcher';

/** Opens a resumable upstream stream (ResumableStream in production, a fake in unit tests). */
export type OpenStream = (options: Omit<ResumableStreamOptions, 'pool'>) => { stop(): void };

/** What a group calls on each of its subscribers. */
export interface GroupMember {
  /** A new event of the shared stream (its hydration may still be running). */
  deliver(entry: Entry): void;
  /** A shared event finished hydrating. */
  settled(entry: Entry): void;
  /** The shared upstream refused the stream (bad filter arguments, …): it cannot go on. */
  fail(errors: readonly GraphQLFormattedError[]): void;
}

/** Subscribers of one upstream with the same hydration key: each event is hydrated once for all of them. */
export class HydrationGroup implements EntryOwner {
  readonly members = new Set<GroupMember>();
  private next = 0;

  constructor(private readonly batcher: HydrationBatcher) {}

  /** The seq the next shared event will get. */
  get nextSeq(): number {
    return this.next;
  }

  publish(eventId: string): void {
    const entry = newEntry(eventId, this.next++);
    this.batcher.add(entry, this);
    for (const member of this.members) member.deliver(entry);
  }

  settled(entry: Entry): void {
    for (const member of this.members) member.settled(entry);
  }

  close(): void {
    this.batcher.drop(this);
  }
}

class SharedUpstream {
  readonly groups = new Map<string, HydrationGroup>();
  stream: { stop(): void } | null = null;
}

export interface JoinRequest {
  split: SplitSubscription;
  /** Forwarded to the owning subgraph; part of the share key. */
  upstreamIdentity?: UpstreamIdentity;
  /** The rights hydrations run with; part of the hydration key. */
  rights?: Rights;
  /** Hydrates as this subscriber (used for the whole group when it is the first: same rights, same result). */
  hydrate: Hydrate;
}

export interface Membership {
  group: HydrationGroup;
  leave(): void;
}

export interface SubscriptionHubOptions {
  open: OpenStream;
  /**
   * Hydration operations running at once per hydration key (and per catch-up); events arriving meanwhile are
   * batched into the next one. Results are delivered in event order.
   */
  concurrency: number;
  /** Distinct events per batch hydration at most (default 100). */
  maxBatch?: number;
  onReconnect?(attempt: number, reason: unknown): void;
}

/**
 * The gateway's shared subscriptions: one upstream stream per share key (see share-keys.ts), live from the
 * moment its first subscriber joined, fanned out to hydration groups, each of which hydrates every event once
 * and hands it to its subscribers' own bounded buffers. Reference counted: the upstream stops when its last
 * subscriber leaves. Subscribers resuming from an old id catch up on their own stream first (FederatedSubscription).
 */
export class SubscriptionHub {
  private readonly upstreams = new Map<string, SharedUpstream>();
  /** One batcher per hydration key, across upstreams: the per-machine streams of one selection batch together. */
  private readonly batchers = new Map<string, { batcher: HydrationBatcher; groups: number }>();

  constructor(readonly options: SubscriptionHubOptions) {}

  join(request: JoinRequest, member: GroupMember): Membership {
    const { split } = request;
    const uKey = upstreamKey(split, request.upstreamIdentity);
    let upstream = this.upstreams.get(uKey);
    const created = !upstream;
    if (!upstream) this.upstreams.set(uKey, (upstream = new SharedUpstream()));
    const hKey = hydrationKey(split, request.rights);
    let group = upstream.groups.get(hKey);
    if (!group) upstream.groups.set(hKey, (group = new HydrationGroup(this.batcherFor(hKey, request))));
    group.members.add(member);
    if (created) upstream.stream = this.openShared(uKey, upstream, request);

    const joined = { upstream, group };
    return {
      group,
      leave: () => {
        const { upstream: u, group: g } = joined;
        if (!g.members.delete(member) || g.members.size > 0) return;
        g.close();
        this.releaseBatcher(hKey);
        u.groups.delete(hKey);
        if (u.groups.size > 0) return;
        u.stream?.stop();
        u.stream = null;
        if (this.upstreams.get(uKey) === u) this.upstreams.delete(uKey);
      },
    };
  }

  /** A hydration runner of this subscriber's own (catch-up events), batching like the shared ones. */
  privateBatcher(split: SplitSubscription, hydrate: Hydrate, concurrency: number): HydrationBatcher {
    return new HydrationBatcher(split.hydration, hydrate, split.responseKey, { ...this.batcherOptions(), concurrency });
  }

  private batcherOptions() {
    return { concurrency: this.options.concurrency, maxBatch: this.options.maxBatch ?? 100 };
  }

  private batcherFor(hKey: string, { split, hydrate }: JoinRequest): HydrationBatcher {
    let shared = this.batchers.get(hKey);
    if (!shared) this.batchers.set(hKey, (shared = { batcher: new HydrationBatcher(split.hydration, hydrate, split.responseKey, this.batcherOptions()), groups: 0 }));
    shared.groups += 1;
    return shared.batcher;
  }

  private releaseBatcher(hKey: string): void {
    const shared = this.batchers.get(hKey);
    if (shared && --shared.groups === 0) this.batchers.delete(hKey);
  }

  private openShared(uKey: string, upstream: SharedUpstream, { split, upstreamIdentity }: JoinRequest): { stop(): void } {
    return this.options.open({
      url: split.route.url,
      query: split.upstream.query,
      variables: split.upstream.variables,
      field: split.upstream.field,
      after: null,
      identity: upstreamIdentity,
      onReconnect: this.options.onReconnect,
      onEvent: (eventId) => {
        for (const group of upstream.groups.values()) group.publish(eventId);
      },
      onFatal: (errors) => {
        // Nobody new joins a failed stream; every subscriber of it ends with the errors.
        if (this.upstreams.get(uKey) === upstream) this.upstreams.delete(uKey);
        const members = [...upstream.groups.values()].flatMap((group) => [...group.members]);
        for (const member of members) member.fail(errors);
      },
    });
  }

  /** A stream of a subscriber's own (catch-up from `after`). */
  openPrivate(options: Omit<ResumableStreamOptions, 'pool' | 'onReconnect'>): { stop(): void } {
    return this.options.open({ ...options, onReconnect: this.options.onReconnect });
  }

  /** Upstream streams, hydration groups and subscribers now shared (metrics, tests). */
  stats(): { upstreams: number; groups: number; members: number } {
    const groups = [...this.upstreams.values()].flatMap((u) => [...u.groups.values()]);
    return { upstreams: this.upstreams.size, groups: groups.length, members: groups.reduce((n, g) => n + g.members.size, 0) };
  }
}

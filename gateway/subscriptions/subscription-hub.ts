import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { SplitSubscription } from './operation-split';
import { hydrationKey, upstreamKey, type Rights } from './share-keys';
import type { ResumableStreamOptions, UpstreamIdentity } from './upstream';

/** Runs one hydration query through the gateway's planner (all subgraphs) and returns its result. */
export type Hydrate = (query: string, variables: Record<string, unknown>) => Promise<ExecutionResult>;

/** Opens a resumable upstream stream (ResumableStream in production, a fake in unit tests). */
export type OpenStream = (options: Omit<ResumableStreamOptions, 'pool'>) => { stop(): void };

/** One event on its way to subscribers: hydrated once, the same result object handed to each of them. */
export interface Entry {
  eventId: string;
  /** Position in its hydration group (-1: a subscriber's own catch-up event). */
  seq: number;
  result: Promise<ExecutionResult>;
  settled: boolean;
  resolve(result: ExecutionResult): void;
}

export function newEntry(eventId: string, seq: number): Entry {
  let resolve!: (result: ExecutionResult) => void;
  const result = new Promise<ExecutionResult>((r) => (resolve = r));
  return { eventId, seq, result, settled: false, resolve };
}

/** Hydrates an entry; a failure becomes errors on that event (the subscription goes on). */
export async function runHydration(hydrate: Hydrate, hydration: SplitSubscription['hydration'], entry: Entry): Promise<void> {
  const result = await hydrate(hydration.query, hydration.variables(entry.eventId)).catch((error: unknown) => ({
    errors: [error instanceof GraphQLError ? error : new GraphQLError(`hydration failed: ${(error as Error)?.message ?? String(error)}`)],
  }));
  entry.settled = true;
  entry.resolve(result);
}

/** Entries nobody will hydrate any more: settled with an error, so that nothing waits on them forever. */
export function abandon(entries: readonly Entry[]): void {
  for (const entry of entries) {
    entry.settled = true;
    entry.resolve({ errors: [new GraphQLError('the subscription ended')] });
  }
}

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
export class HydrationGroup {
  readonly members = new Set<GroupMember>();
  private readonly queue: Entry[] = [];
  private running = 0;
  private next = 0;

  constructor(
    private readonly hydration: SplitSubscription['hydration'],
    private readonly hydrate: Hydrate,
    private readonly concurrency: number,
  ) {}

  /** The seq the next shared event will get. */
  get nextSeq(): number {
    return this.next;
  }

  publish(eventId: string): void {
    const entry = newEntry(eventId, this.next++);
    this.queue.push(entry);
    this.pump();
    for (const member of this.members) member.deliver(entry);
  }

  /** Started in event order, `concurrency` at a time; each subscriber still takes them in order. */
  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      this.running += 1;
      void runHydration(this.hydrate, this.hydration, entry).then(() => {
        this.running -= 1;
        for (const member of this.members) member.settled(entry);
        this.pump();
      });
    }
  }

  close(): void {
    abandon(this.queue.splice(0));
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
  /** Hydrations running at once per group (and per catch-up); results are delivered in event order. */
  concurrency: number;
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

  constructor(readonly options: SubscriptionHubOptions) {}

  join(request: JoinRequest, member: GroupMember): Membership {
    const { split } = request;
    const uKey = upstreamKey(split, request.upstreamIdentity);
    let upstream = this.upstreams.get(uKey);
    const created = !upstream;
    if (!upstream) this.upstreams.set(uKey, (upstream = new SharedUpstream()));
    const hKey = hydrationKey(split, request.rights);
    let group = upstream.groups.get(hKey);
    if (!group) upstream.groups.set(hKey, (group = new HydrationGroup(split.hydration, request.hydrate, this.options.concurrency)));
    group.members.add(member);
    if (created) upstream.stream = this.openShared(uKey, upstream, request);

    const joined = { upstream, group };
    return {
      group,
      leave: () => {
        const { upstream: u, group: g } = joined;
        if (!g.members.delete(member) || g.members.size > 0) return;
        g.close();
        u.groups.delete(hKey);
        if (u.groups.size > 0) return;
        u.stream?.stop();
        u.stream = null;
        if (this.upstreams.get(uKey) === u) this.upstreams.delete(uKey);
      },
    };
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

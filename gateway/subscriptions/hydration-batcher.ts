import { GraphQLError, type ExecutionResult } from 'graphql';
import { splitBatchResult } from './batch-result';
import type { SplitSubscription } from './operation-split';
import type { EncodedNext } from './next-frame';

/** Runs one hydration query through the gateway's planner (all subgraphs) and returns its result. */
export type Hydrate = (query: string, variables: Record<string, unknown>) => Promise<ExecutionResult>;

/**
 * A hydrated event: one result object shared by every subscriber it goes to, and its `next` payload, serialized
 * the first time a subscriber sends it (see next-frame.ts) and reused for all the others.
 */
export interface Hydrated {
  readonly result: ExecutionResult;
  encoded?: EncodedNext;
}

/** One event on its way to subscribers: hydrated once, the same Hydrated handed to each of them. */
export interface Entry {
  eventId: string;
  /** Position in its hydration group (-1: a subscriber's own catch-up event). */
  seq: number;
  /** Set once hydrated (or abandoned). */
  hydrated: Hydrated | null;
  /** Resolves with `hydrated` (subscribers that pull results await it). */
  result: Promise<Hydrated>;
  resolve(hydrated: Hydrated): void;
}

export function newEntry(eventId: string, seq: number): Entry {
  const entry = { eventId, seq, hydrated: null } as Entry;
  entry.result = new Promise<Hydrated>((resolve) => {
    entry.resolve = (hydrated) => {
      entry.hydrated = hydrated;
      resolve(hydrated);
    };
  });
  return entry;
}

/** Who is told when one of its entries is hydrated (a hydration group, or a subscriber catching up). */
export interface EntryOwner {
  settled(entry: Entry): void;
}

/** Entries nobody will hydrate any more: settled with an error, so that nothing waits on them forever. */
export function abandon(entries: readonly Entry[]): void {
  const ended: Hydrated = { result: { errors: [new GraphQLError('the subscription ended')] } };
  for (const entry of entries) if (!entry.hydrated) entry.resolve(ended);
}

export interface BatcherOptions {
  /** Hydration operations running at once; events arriving meanwhile wait and go together in the next one. */
  concurrency: number;
  /** Distinct events per operation at most. */
  maxBatch: number;
}

interface Queued {
  entry: Entry;
  owner: EntryOwner;
}

/**
 * Hydrates the events of everyone with one hydration key (same selection, variables and rights; any upstream
 * or filter) together: the events that arrive while `concurrency` operations are running, or within one turn
 * of the event loop, go into ONE operation on the by-ids field (one fetch per subgraph for all of them), split
 * back per event by splitBatchResult. An event reaching several groups is hydrated once. Without a by-ids field,
 * or when the batch fails as a whole request, each event gets its own single hydration, as before batching.
 */
export class HydrationBatcher {
  private queue: Queued[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly hydration: SplitSubscription['hydration'],
    private readonly hydrate: Hydrate,
    private readonly responseKey: string,
    private readonly options: BatcherOptions,
  ) {}

  add(entry: Entry, owner: EntryOwner): void {
    this.queue.push({ entry, owner });
    this.schedule();
  }

  /** The owner is gone: its waiting entries are dropped (abandoned), those in flight finish unobserved. */
  drop(owner: EntryOwner): void {
    const mine = this.queue.filter((q) => q.owner === owner);
    if (mine.length === 0) return;
    this.queue = this.queue.filter((q) => q.owner !== owner);
    abandon(mine.map((q) => q.entry));
  }

  /** Waits for the end of this turn of the event loop, so that events read together are hydrated together. */
  private schedule(): void {
    if (this.scheduled || this.running >= this.options.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const batch = this.take();
      this.running += 1;
      void this.run(batch).then(() => {
        this.running -= 1;
        this.schedule();
      });
    }
  }

  /** The oldest waiting entries, up to maxBatch distinct events (an event queued twice counts once). */
  private take(): Map<string, Queued[]> {
    const batch = new Map<string, Queued[]>();
    const single = !this.hydration.batch;
    let taken = 0;
    for (const queued of this.queue) {
      const same = batch.get(queued.entry.eventId);
      if (same) same.push(queued);
      else if (batch.size < (single ? 1 : this.options.maxBatch)) batch.set(queued.entry.eventId, [queued]);
      else break;
      taken += 1;
    }
    this.queue = taken === this.queue.length ? [] : this.queue.slice(taken);
    return batch;
  }

  private async run(batch: Map<string, Queued[]>): Promise<void> {
    const eventIds = [...batch.keys()];
    const results = await this.hydrateAll(eventIds);
    eventIds.forEach((eventId, i) => {
      const hydrated: Hydrated = { result: results[i]! };
      for (const { entry, owner } of batch.get(eventId)!) {
        if (entry.hydrated) continue; // abandoned meanwhile
        entry.resolve(hydrated);
        owner.settled(entry);
      }
    });
  }

  private async hydrateAll(eventIds: string[]): Promise<ExecutionResult[]> {
    const { batch } = this.hydration;
    if (batch) {
      const results = splitBatchResult(await this.safely(batch.query, batch.variables(eventIds)), this.responseKey, eventIds.length);
      if (results) return results;
    }
    return Promise.all(eventIds.map((eventId) => this.safely(this.hydration.query, this.hydration.variables(eventId))));
  }

  /** A failure becomes errors on the events concerned (the subscriptions go on). */
  private safely(query: string, variables: Record<string, unknown>): Promise<ExecutionResult> {
    return this.hydrate(query, variables).catch((error: unknown) => ({
      errors: [error instanceof GraphQLError ? error : new GraphQLError(`hydration failed: ${(error as Error)?.message ?? String(error)}`)],
    }));
  }
}

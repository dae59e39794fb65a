/**
 * Entities one subgraph answered, kept across requests for as long as the event stream that invalidates them
 * says they are current. An entity is dropped when an event names it, everything is dropped when the stream is
 * not connected (events may be missing) or a mutation passes through this gateway, and each answer also has a
 * time to live: a backstop for writes that reach the back office without producing an event.
 *
 * A fetch that missed takes a ticket per entity before it is sent, and its answer goes into the record that
 * ticket saw. An invalidation, a clear or an eviction takes the record out (it is never emptied in place), so an
 * answer computed before an event that arrives while it is in flight can only land where nobody reads; such
 * answers are counted as discarded and not kept.
 */

export interface EntityCacheOptions {
  /** Entities kept (least recently used go first). */
  maxEntities: number;
  /** How long one answer may be served at most. */
  ttlMs: number;
  now?: () => number;
}

/** One subgraph answer for one entity, selection and caller class. */
interface Variant {
  value: Record<string, unknown>;
  expiresAt: number;
}

/** Everything cached for one entity; replaced (never emptied in place) when the entity is invalidated. */
interface EntityRecord {
  variants: Map<string, Variant>;
  /** Read since eviction last passed it (second chance: cheaper than moving it on every hit). */
  used: boolean;
}

export interface CacheTicket {
  typename: string;
  key: string;
  variantKey: string;
  record: EntityRecord;
}

export interface EntityCacheStats {
  hits: number;
  misses: number;
  stores: number;
  /** Answers not stored because their entity was invalidated while they were fetched. */
  discarded: number;
  invalidations: number;
  clears: number;
  entities: number;
  live: boolean;
}

export class EntityCache {
  /**
   * By typename, then key: two lookups of strings the caller already has (the key as the subgraph answer holds
   * it) cost less than building and hashing one joined string per entity, 500 times per bi page.
   */
  private readonly types = new Map<string, Map<string, EntityRecord>>();
  private size = 0;
  private readonly now: () => number;
  private live = false;
  private readonly counts = { hits: 0, misses: 0, stores: 0, discarded: 0, invalidations: 0, clears: 0 };

  constructor(private readonly options: EntityCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Serving and storing only happen while invalidations are known to arrive (the stream is connected). */
  setLive(live: boolean): void {
    if (this.live && !live) this.clear();
    this.live = live;
  }

  get isLive(): boolean {
    return this.live;
  }

  /**
   * The cached answer (deeply frozen: callers share it and must copy what they change), or a ticket to store the
   * answer about to be fetched (null: neither, the cache is not live).
   */
  lookup(typename: string, entityKey: string | number, variantKey: string): { hit: Record<string, unknown> } | { ticket: CacheTicket } | null {
    if (!this.live) return null;
    // An ID may come as a number; it names the same entity as its string form.
    const key = typeof entityKey === 'string' ? entityKey : String(entityKey);
    let entities = this.types.get(typename);
    if (!entities) this.types.set(typename, (entities = new Map()));
    let record = entities.get(key);
    if (record) {
      record.used = true;
      const variant = record.variants.get(variantKey);
      if (variant) {
        if (variant.expiresAt > this.now()) {
          this.counts.hits += 1;
          return { hit: variant.value };
        }
        record.variants.delete(variantKey);
      }
    } else {
      record = { variants: new Map(), used: false };
      entities.set(key, record);
      this.size += 1;
      if (this.size > this.options.maxEntities) this.evictOne();
    }
    this.counts.misses += 1;
    return { ticket: { typename, key, variantKey, record } };
  }

  /** Keeps a fetched answer, unless its entity was invalidated (or evicted, or all cleared) since the ticket. */
  store(ticket: CacheTicket, value: Record<string, unknown>): void {
    if (!this.live || this.types.get(ticket.typename)?.get(ticket.key) !== ticket.record) {
      this.counts.discarded += 1;
      return;
    }
    ticket.record.variants.set(ticket.variantKey, { value: frozenCopy(value), expiresAt: this.now() + this.options.ttlMs });
    this.counts.stores += 1;
  }

  /**
   * Second chance: from the oldest insertion on, an entity read since it was last passed moves to the newest end
   * with its mark cleared; the first one not read goes. Roughly least recently used, without a move per hit.
   */
  private evictOne(): void {
    // Per type, oldest first; the first type with entities gives one up.
    for (const entities of this.types.values()) {
      for (const [key, record] of entities) {
        entities.delete(key);
        if (!record.used) {
          this.size -= 1;
          return;
        }
        record.used = false;
        entities.set(key, record);
      }
    }
  }

  invalidate(typename: string, entityKey: string | number): void {
    this.counts.invalidations += 1;
    const entities = this.types.get(typename);
    if (entities?.delete(typeof entityKey === 'string' ? entityKey : String(entityKey))) this.size -= 1;
  }

  clear(): void {
    this.counts.clears += 1;
    this.types.clear();
    this.size = 0;
  }

  stats(): EntityCacheStats {
    return { ...this.counts, entities: this.size, live: this.live };
  }
}

/**
 * A deep, frozen copy of a JSON value. Kept answers are handed out as they are, on every hit (copying 500 of them
 * per page cost the gateway ~2% of its bi CPU, and garbage); frozen, no caller can change what the next one gets.
 * The copy is needed because the caller's answer goes on into its response tree, where later merges may change it.
 */
export function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = frozenCopy((value as Record<string, unknown>)[key]);
  return Object.freeze(copy) as T;
}

import type { FetchNode } from '@apollo/query-planner';
import { cacheableFetch, ENTITY_CACHE_RULES } from '../../../gateway/cache/cacheable-fetch';
import { EntityCache, frozenCopy, type CacheTicket } from '../../../gateway/cache/entity-cache';

function liveCache(options: { ttlMs?: number; maxEntities?: number } = {}) {
  let now = 1_000;
  const cache = new EntityCache({ ttlMs: options.ttlMs ?? 60_000, maxEntities: options.maxEntities ?? 100, now: () => now });
  cache.setLive(true);
  return { cache, advance: (ms: number) => (now += ms) };
}

/** entity: "Typename:key". */
function ticketFor(cache: EntityCache, entity: string, variant = 'v'): CacheTicket {
  const [typename, key] = entity.split(':') as [string, string];
  const found = cache.lookup(typename, key, variant);
  if (!found || !('ticket' in found)) throw new Error(`expected a miss for ${entity}`);
  return found.ticket;
}

const progress = (good: number) => ({ productionProgress: { quantityGood: good, quantityPlanned: 10 } });

describe('EntityCache', () => {
  it('serves a stored answer frozen, so that no caller can change what the next one gets', () => {
    const { cache } = liveCache();
    cache.store(ticketFor(cache, 'SalesOrder:1'), progress(3));
    const first = cache.lookup('SalesOrder', '1', 'v') as { hit: ReturnType<typeof progress> };
    expect(first.hit).toEqual(progress(3));
    expect(() => {
      first.hit.productionProgress.quantityGood = 99;
    }).toThrow(TypeError);
    expect(() => {
      (first.hit as Record<string, unknown>).extra = 1;
    }).toThrow(TypeError);
    expect((cache.lookup('SalesOrder', '1', 'v') as { hit: unknown }).hit).toEqual(progress(3));
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, stores: 1 });
  });

  it('keeps the answer as it was stored, not as the caller changes it afterwards', () => {
    const { cache } = liveCache();
    const answer = progress(3);
    cache.store(ticketFor(cache, 'SalesOrder:1'), answer);
    answer.productionProgress.quantityGood = 7;
    expect((cache.lookup('SalesOrder', '1', 'v') as { hit: unknown }).hit).toEqual(progress(3));
  });

  it('keeps variants (selection, caller class) of one entity apart', () => {
    const { cache } = liveCache();
    cache.store(ticketFor(cache, 'SalesOrder:1', 'staff'), progress(3));
    expect(cache.lookup('SalesOrder', '1', 'partner')).toHaveProperty('ticket');
  });

  it('drops an entity when an event names it, and only that entity', () => {
    const { cache } = liveCache();
    cache.store(ticketFor(cache, 'SalesOrder:1'), progress(3));
    cache.store(ticketFor(cache, 'SalesOrder:2'), progress(4));
    cache.invalidate('SalesOrder', '1');
    expect(cache.lookup('SalesOrder', '1', 'v')).toHaveProperty('ticket');
    expect(cache.lookup('SalesOrder', '2', 'v')).toEqual({ hit: progress(4) });
  });

  it('never stores an answer fetched before an invalidation that arrived while it was in flight', () => {
    const { cache } = liveCache();
    const ticket = ticketFor(cache, 'SalesOrder:1');
    cache.invalidate('SalesOrder', '1');
    // A newer fetch after the event: its answer is kept; the older one, arriving later, is not.
    cache.store(ticketFor(cache, 'SalesOrder:1'), progress(5));
    cache.store(ticket, progress(3));
    expect(cache.lookup('SalesOrder', '1', 'v')).toEqual({ hit: progress(5) });
    expect(cache.stats().discarded).toBe(1);
  });

  it('never stores an answer fetched before a clear or an eviction', () => {
    const { cache } = liveCache({ maxEntities: 2 });
    const cleared = ticketFor(cache, 'SalesOrder:1');
    cache.clear();
    cache.store(cleared, progress(3));
    const evicted = ticketFor(cache, 'SalesOrder:2');
    ticketFor(cache, 'SalesOrder:3');
    ticketFor(cache, 'SalesOrder:4');
    cache.store(evicted, progress(3));
    expect(cache.stats()).toMatchObject({ stores: 0, discarded: 2, entities: 2 });
  });

  it('gives an entity read since the last eviction pass a second chance', () => {
    const { cache } = liveCache({ maxEntities: 3 });
    for (const id of [1, 2, 3]) cache.store(ticketFor(cache, `SalesOrder:${id}`), progress(id));
    cache.lookup('SalesOrder', '1', 'v');
    cache.lookup('SalesOrder', '2', 'v');
    cache.store(ticketFor(cache, 'SalesOrder:4'), progress(4)); // 1 and 2 move on unmarked; 3, not read, goes
    cache.store(ticketFor(cache, 'SalesOrder:5'), progress(5)); // 4 is now the oldest and was never read
    for (const id of [1, 2, 5]) expect(cache.lookup('SalesOrder', String(id), 'v')).toEqual({ hit: progress(id) });
    expect(cache.stats().entities).toBe(3);
  });

  it('forgets the least recently used entity first', () => {
    const { cache } = liveCache({ maxEntities: 2 });
    cache.store(ticketFor(cache, 'SalesOrder:1'), progress(1));
    cache.store(ticketFor(cache, 'SalesOrder:2'), progress(2));
    cache.lookup('SalesOrder', '1', 'v');
    cache.store(ticketFor(cache, 'SalesOrder:3'), progress(3));
    expect(cache.lookup('SalesOrder', '1', 'v')).toEqual({ hit: progress(1) });
    expect(cache.lookup('SalesOrder', '2', 'v')).toHaveProperty('ticket');
  });

  it('serves an answer no longer than its time to live', () => {
    const { cache, advance } = liveCache({ ttlMs: 1_000 });
    cache.store(ticketFor(cache, 'SalesOrder:1'), progress(3));
    advance(999);
    expect(cache.lookup('SalesOrder', '1', 'v')).toHaveProperty('hit');
    advance(1);
    expect(cache.lookup('SalesOrder', '1', 'v')).toHaveProperty('ticket');
  });

  it('serves and stores nothing while not live, and going dark empties it', () => {
    const { cache } = liveCache();
    const ticket = ticketFor(cache, 'SalesOrder:1');
    cache.store(ticketFor(cache, 'SalesOrder:2'), progress(2));
    cache.setLive(false);
    expect(cache.lookup('SalesOrder', '2', 'v')).toBeNull();
    cache.store(ticket, progress(1));
    cache.setLive(true);
    expect(cache.lookup('SalesOrder', '1', 'v')).toHaveProperty('ticket');
    expect(cache.lookup('SalesOrder', '2', 'v')).toHaveProperty('ticket');
  });

  it('copies JSON values deeply, and freezes the copy at every level', () => {
    const value = { a: [1, { b: 'x' }], c: null, d: { e: true } };
    const copy = frozenCopy(value);
    expect(copy).toEqual(value);
    expect(copy.a[1]).not.toBe(value.a[1]);
    expect(copy.d).not.toBe(value.d);
    for (const part of [copy, copy.a, copy.a[1], copy.d]) expect(Object.isFrozen(part)).toBe(true);
    expect(Object.isFrozen(value.d)).toBe(false);
  });
});

// The shipped rules: one fetch node is analysed once, against them.
const [SALES_ORDER_PROGRESS] = ENTITY_CACHE_RULES;

function fetchNode(operation: string, extra: Partial<FetchNode> = {}): FetchNode {
  return { kind: 'Fetch', serviceName: 'mes', operation, requires: [{ kind: 'InlineFragment', typeCondition: 'SalesOrder', selections: [] }], variableUsages: [], ...extra } as unknown as FetchNode;
}

const ENTITIES = (inner: string) => `query($representations:[_Any!]!){_entities(representations:$representations){${inner}}}`;

describe('cacheableFetch', () => {
  it('accepts an entity fetch of rule fields only, and gives equal texts one id', () => {
    const bi = ENTITIES('...on SalesOrder{__typename productionProgress{quantityPlanned quantityGood}}');
    const first = cacheableFetch(fetchNode(bi));
    expect(first?.types.get('SalesOrder')).toEqual({ rule: SALES_ORDER_PROGRESS, representationKeyed: false });
    expect(cacheableFetch(fetchNode(bi))?.id).toBe(first!.id);
    expect(cacheableFetch(fetchNode(ENTITIES('...on SalesOrder{productionProgress{quantityGood}}')))?.id).not.toBe(first!.id);
  });

  it('keys by the whole representation when it carries more than the key (an @requires field)', () => {
    const requires = [{ kind: 'InlineFragment', typeCondition: 'SalesOrder', selections: [{ kind: 'Field', name: '__typename' }, { kind: 'Field', name: 'id' }, { kind: 'Field', name: 'dueDate' }] }];
    const operation = ENTITIES('...on SalesOrder{productionProgress{quantityGood quantityScrap}}');
    expect(cacheableFetch(fetchNode(operation, { requires } as never))?.types.get('SalesOrder')?.representationKeyed).toBe(true);
    const keyOnly = [{ kind: 'InlineFragment', typeCondition: 'SalesOrder', selections: [{ kind: 'Field', name: '__typename' }, { kind: 'Field', name: 'id' }] }];
    expect(cacheableFetch(fetchNode(`${operation} `, { requires: keyOnly } as never))?.types.get('SalesOrder')?.representationKeyed).toBe(false);
  });

  it.each([
    ['a field no rule lists', ENTITIES('...on SalesOrder{productionProgress{quantityGood} productionRisk{late}}')],
    ['a type no rule lists', ENTITIES('...on Product{workInProgress}')],
    ['an alias', ENTITIES('...on SalesOrder{p: productionProgress{quantityGood}}')],
    ['an alias below a rule field', ENTITIES('...on SalesOrder{productionProgress{good: quantityGood}}')],
    ['an argument', ENTITIES('...on SalesOrder{productionProgress(x: 1){quantityGood}}')],
    ['a directive', ENTITIES('...on SalesOrder{productionProgress @include(if: true){quantityGood}}')],
    ['a fragment directive', ENTITIES('...on SalesOrder @skip(if: false){productionProgress{quantityGood}}')],
    ['a fragment spread', `${ENTITIES('...F')} fragment F on SalesOrder{productionProgress{quantityGood}}`],
    ['a root field besides _entities', 'query($representations:[_Any!]!){a: _entities(representations:$representations){...on SalesOrder{productionProgress{quantityGood}}}}'],
    ['a query that is not an entity fetch', 'query{salesOrders{totalCount}}'],
  ])('refuses %s', (_reason, operation) => {
    expect(cacheableFetch(fetchNode(operation))).toBeNull();
  });

  it('refuses a fetch with variables of the client, another subgraph, or no representations', () => {
    const bi = ENTITIES('...on SalesOrder{productionProgress{quantityGood}}');
    expect(cacheableFetch(fetchNode(bi, { variableUsages: ['first'] }))).toBeNull();
    expect(cacheableFetch(fetchNode(bi, { serviceName: 'erp' }))).toBeNull();
    expect(cacheableFetch(fetchNode(bi, { requires: undefined }))).toBeNull();
  });
});

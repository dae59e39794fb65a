import type { FetchNode, QueryPlan } from '@apollo/query-planner';
import { buildSchema, Kind, parse } from 'graphql';
import { cacheableFetch } from '../../../gateway/cache/cacheable-fetch';
import { EntityCache } from '../../../gateway/cache/entity-cache';
import { executePlan, type PlanRun } from '../../../gateway/execution/plan-executor';

/**
 * Entity cache hits are merged into a response as the cache keeps them: frozen, and shared with every other
 * request. A later fetch of the same plan that merges into such an answer (here: fields of the cached
 * `productionProgress` from another subgraph, and more fields of the same object from a second fetch) must
 * work on a copy: every run gives the answer an uncached run gives, and the kept answer never changes.
 */
const SUPERGRAPH = buildSchema(`
  type Query { salesOrders: [SalesOrder] }
  type SalesOrder { id: ID! productionProgress: Progress }
  type Progress { id: ID! good: Int steps: [Step] note: String }
  type Step { n: Int label: String }
`);

const ROOT = { kind: 'Fetch', serviceName: 'erp', operation: '{salesOrders{__typename id}}', operationName: undefined, operationKind: 'query' as never } as FetchNode;

function entityFetch(serviceName: string, typename: string, key: string, fields: string): FetchNode {
  const operation = `query($representations:[_Any!]!){_entities(representations:$representations){...on ${typename}{__typename ${fields}}}}`;
  return {
    kind: 'Fetch',
    serviceName,
    operation,
    operationName: undefined,
    operationKind: 'query' as never,
    operationDocumentNode: parse(operation),
    requires: [{ kind: Kind.INLINE_FRAGMENT, typeCondition: typename, selections: [{ kind: Kind.FIELD, name: '__typename' }, { kind: Kind.FIELD, name: key }] }],
  } as FetchNode;
}

// The cached fetch (the shipped rule: MES SalesOrder.productionProgress), then two fetches that add to its answer.
const PROGRESS = entityFetch('mes', 'SalesOrder', 'id', 'productionProgress{__typename id good steps{n}}');
const MORE_PROGRESS = entityFetch('erp', 'SalesOrder', 'id', 'productionProgress{steps{label}}');
const NOTE = entityFetch('erp', 'Progress', 'id', 'note');

// Either order: a merge into the frozen object itself, or a fetch whose entities are the frozen objects.
const MORE_FIRST = [{ kind: 'Flatten', path: ['salesOrders', '@'], node: MORE_PROGRESS }, { kind: 'Flatten', path: ['salesOrders', '@', 'productionProgress'], node: NOTE }];
const PLANS: Record<string, QueryPlan> = Object.fromEntries(
  [
    ['a merge into it, then a fetch for it', MORE_FIRST],
    ['a fetch for it, then a merge into it', [...MORE_FIRST].reverse()],
  ].map(([name, later]) => [name, { kind: 'QueryPlan', node: { kind: 'Sequence', nodes: [ROOT, { kind: 'Flatten', path: ['salesOrders', '@'], node: PROGRESS }, ...later] } } as QueryPlan]),
);

function services() {
  const mesCalls: unknown[] = [];
  const entities = (answer: (r: Record<string, string>) => unknown) => async ({ request }: { request: { variables: { representations: Record<string, string>[] } } }) => ({
    data: { _entities: request.variables.representations.map(answer) },
  });
  const mes = {
    process: async (options: { request: { variables: { representations: Record<string, string>[] } } }) => {
      mesCalls.push(options.request.variables.representations);
      return entities((r) => ({ __typename: 'SalesOrder', productionProgress: { __typename: 'Progress', id: `P-${r.id}`, good: 3, steps: [{ n: 1 }, { n: 2 }] } }))(options);
    },
  };
  const erp = {
    process: async (options: { request: { query: string; variables: { representations: Record<string, string>[] } } }) => {
      if (!options.request.query.includes('_entities')) return { data: { salesOrders: [{ __typename: 'SalesOrder', id: '1' }, { __typename: 'SalesOrder', id: '2' }] } };
      if (options.request.query.includes('note')) return entities((r) => ({ __typename: 'Progress', note: `note of ${r.id}` }))(options);
      return entities(() => ({ __typename: 'SalesOrder', productionProgress: { steps: [{ label: 'cut' }, { label: 'weld' }] } }))(options);
    },
  };
  return { mesCalls, serviceMap: { erp, mes } as never as PlanRun['serviceMap'] };
}

async function run(plan: QueryPlan, cache: EntityCache | null) {
  const { mesCalls, serviceMap } = services();
  const errors: PlanRun['errors'] = [];
  const data = await executePlan(plan, {
    serviceMap,
    requestContext: { request: { variables: {} }, context: {}, metrics: {} },
    supergraphSchema: SUPERGRAPH,
    errors,
    conditionVariables: {},
    entityCache: cache ? { cache, partition: '' } : undefined,
  });
  return { data: JSON.parse(JSON.stringify(data)) as unknown, errors: errors.map((e) => e.message), mesCalls: mesCalls.length };
}

describe('merging into cached entity answers', () => {
  it.each(Object.keys(PLANS))('gives every run the uncached answer, and keeps the answers as sent (%s)', async (name) => {
    const plan = PLANS[name]!;
    const expected = await run(plan, null);
    expect(expected.errors).toEqual([]);
    expect(expected.data).toEqual({
      salesOrders: [1, 2].map((id) => ({
        __typename: 'SalesOrder',
        id: String(id),
        productionProgress: { __typename: 'Progress', id: `P-${id}`, good: 3, steps: [{ n: 1, label: 'cut' }, { n: 2, label: 'weld' }], note: `note of P-${id}` },
      })),
    });

    const cache = new EntityCache({ maxEntities: 100, ttlMs: 60_000 });
    cache.setLive(true);
    const first = await run(plan, cache);
    const second = await run(plan, cache);
    const third = await run(plan, cache);
    expect([first.mesCalls, second.mesCalls, third.mesCalls]).toEqual([1, 0, 0]);
    for (const result of [first, second, third]) expect(result).toMatchObject({ data: expected.data, errors: [] });
    expect(cache.stats()).toMatchObject({ hits: 4, misses: 2, stores: 2 });

    const kept = cache.lookup('SalesOrder', '1', `${cacheableFetch(PROGRESS)!.id}\u0000`);
    expect(kept).toEqual({ hit: { __typename: 'SalesOrder', productionProgress: { __typename: 'Progress', id: 'P-1', good: 3, steps: [{ n: 1 }, { n: 2 }] } } });
  });
});

import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import { buildSchema, Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { executePlan, type PlanRun } from '../../../gateway/execution/plan-executor';

/**
 * Parallel entity fetches to one subgraph are sent as one request (entity-batching.ts). Whatever the subgraph
 * answers — data, errors on single entities, a failed `_entities` as a whole, a transport failure — each member
 * must end up with exactly what it would have got alone: compared with the same fetches run one after another.
 */
const SUPERGRAPH = buildSchema(`type Query { order: Order } type Order { id: ID! lines: [Line] } type Line { sku: String product: Product } type Product { sku: String wip: Int }`);

function entityFetch(name: string, typename: string, key: string, fields: string): FetchNode {
  const operation = `query ${name}($representations:[_Any!]!){_entities(representations:$representations){...on ${typename}{${fields}}}}`;
  return {
    kind: 'Fetch',
    serviceName: 'mes',
    operation,
    operationName: name,
    operationKind: 'query' as never,
    operationDocumentNode: parse(operation),
    requires: [
      {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: typename,
        selections: [
          { kind: Kind.FIELD, name: '__typename' },
          { kind: Kind.FIELD, name: key },
        ],
      },
    ],
  } as FetchNode;
}

const ORDER_FETCH = entityFetch('Q__mes__1', 'Order', 'id', 'progress');
const PRODUCT_FETCH = entityFetch('Q__mes__2', 'Product', 'sku', 'wip');
const ROOT_FETCH: FetchNode = { kind: 'Fetch', serviceName: 'erp', operation: '{order{__typename id lines{sku product{__typename sku}}}}', operationName: undefined, operationKind: 'query' as never };

function plan(kind: 'Parallel' | 'Sequence'): QueryPlan {
  const members: PlanNode[] = [
    { kind: 'Flatten', path: ['order'], node: ORDER_FETCH },
    { kind: 'Flatten', path: ['order', 'lines', '@', 'product'], node: PRODUCT_FETCH },
  ];
  return { kind: 'QueryPlan', node: { kind: 'Sequence', nodes: [ROOT_FETCH, { kind, nodes: members }] } } as QueryPlan;
}

type Behaviour = 'ok' | 'entity-errors' | 'whole-field-fails' | 'down';

/** A MES that answers each aliased `_entities` field from its representations, with the chosen faults. */
function fakeServices(behaviour: Behaviour) {
  const calls: string[] = [];
  const erp = {
    process: async () => ({ data: { order: { __typename: 'Order', id: 'SO-1', lines: [{ sku: 'A', product: { __typename: 'Product', sku: 'A' } }, { sku: 'B', product: { __typename: 'Product', sku: 'B' } }, { sku: 'C', product: null }] } } }),
  };
  const mes = {
    process: async ({ request }: { request: { query: string; variables: Record<string, unknown> } }) => {
      calls.push(request.query);
      if (behaviour === 'down') throw Object.assign(new Error('subgraph "mes" could not be reached'), { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      const operation = parse(request.query).definitions[0] as OperationDefinitionNode;
      const data: Record<string, unknown> = {};
      const errors: { message: string; path: (string | number)[]; extensions?: Record<string, unknown> }[] = [];
      for (const selection of operation.selectionSet.selections as FieldNode[]) {
        const key = selection.alias?.value ?? selection.name.value;
        const variable = (selection.arguments![0]!.value as { name: { value: string } }).name.value;
        const representations = request.variables[variable] as { __typename: string; id?: string; sku?: string }[];
        const isProducts = representations[0]?.__typename === 'Product';
        if (behaviour === 'whole-field-fails' && isProducts) {
          errors.push({ message: 'products unavailable', path: [key], extensions: { code: 'BACKEND_UNAVAILABLE' } });
          data[key] = null;
          continue;
        }
        data[key] = representations.map((r, i) => {
          if (behaviour === 'entity-errors' && (r.sku === 'B' || r.id === 'SO-1')) {
            errors.push({ message: `no ${r.sku ?? r.id}`, path: [key, i, isProducts ? 'wip' : 'progress'], extensions: { code: 'NOT_FOUND' } });
            return null;
          }
          return isProducts ? { wip: r.sku!.charCodeAt(0) } : { progress: 0.5 };
        });
      }
      // A non-null `_entities` that failed nulls the whole data, as a real subgraph does.
      const wholeFieldFailed = Object.values(data).some((v) => v === null);
      return { data: wholeFieldFailed ? null : data, ...(errors.length ? { errors } : {}) };
    },
  };
  return { calls, serviceMap: { erp, mes } as never as PlanRun['serviceMap'] };
}

async function run(kind: 'Parallel' | 'Sequence', behaviour: Behaviour) {
  const { calls, serviceMap } = fakeServices(behaviour);
  const errors: PlanRun['errors'] = [];
  const requestContext = { request: { variables: {} }, context: {}, metrics: {} };
  const data = await executePlan(plan(kind), { serviceMap, requestContext, supergraphSchema: SUPERGRAPH, errors, conditionVariables: {} });
  const summary = errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { data: JSON.parse(JSON.stringify(data)), errors: summary, mesCalls: calls };
}

describe('batched entity fetches', () => {
  it('send parallel entity fetches to one subgraph as one request and merge each member as if alone', async () => {
    const batched = await run('Parallel', 'ok');
    const alone = await run('Sequence', 'ok');
    expect(batched.mesCalls).toHaveLength(1);
    expect(alone.mesCalls).toHaveLength(2);
    expect(batched.mesCalls[0]).toContain('_entities_0: _entities(representations: $representations_0)');
    expect(batched.data).toEqual(alone.data);
    expect(batched.data.order.progress).toBe(0.5);
    expect(batched.data.order.lines.map((l: { product: { wip?: number } | null }) => l.product?.wip ?? null)).toEqual([65, 66, null]);
  });

  it('give each member its own entity errors, at the paths of its own entities', async () => {
    const batched = await run('Parallel', 'entity-errors');
    const alone = await run('Sequence', 'entity-errors');
    expect(batched.mesCalls).toHaveLength(1);
    expect(batched.errors).toEqual(alone.errors);
    expect(batched.errors.map((e) => e.path)).toEqual([
      ['order', 'lines', 1, 'product', 'wip'],
      ['order', 'progress'],
    ]);
    expect(batched.data).toEqual(alone.data);
  });

  it('fall back to separate fetches when one member loses its whole field, so the other keeps its data', async () => {
    const batched = await run('Parallel', 'whole-field-fails');
    const alone = await run('Sequence', 'whole-field-fails');
    expect(batched.mesCalls).toHaveLength(3); // the combined request, then each member alone
    expect(batched.data).toEqual(alone.data);
    expect(batched.data.order.progress).toBe(0.5);
    expect(batched.errors).toEqual(alone.errors);
  });

  it('fail every member with the transport error, as their own fetches would have', async () => {
    const batched = await run('Parallel', 'down');
    const alone = await run('Sequence', 'down');
    expect(batched.errors).toEqual(alone.errors);
    expect(batched.errors).toHaveLength(2);
    expect(batched.data).toEqual(alone.data);
  });
});

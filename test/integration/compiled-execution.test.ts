import { execute, parse, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { SubgraphDataSource } from '../../gateway/subgraph-data-source';
import { loadWorld } from '../../mocks/dataset/load-world';
import { DEFAULT_ANCHOR } from '../../mocks/dataset/world';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { createMockMesBackend } from '../../mocks/mes/in-memory-mes-backend';
import { schemaFile } from '../../schema/compose';
import { loadOperation } from '../../schema/operations';
import type { RunningServer } from '../../subgraphs/common/http-server';
import { createErpContext } from '../../subgraphs/erp/context';
import { buildErpSchema } from '../../subgraphs/erp/schema';
import { startErpSubgraph } from '../../subgraphs/erp/server';
import { createMesContext } from '../../subgraphs/mes/context';
import { InMemoryEventBus } from '../../subgraphs/mes/events/in-memory-event-bus';
import { buildMesSchema } from '../../subgraphs/mes/schema';
import { startMesSubgraph } from '../../subgraphs/mes/server';
import { postGraphQL } from '../fixtures/graphql-client';

/**
 * The subgraphs' fast lane runs learnt queries compiled by graphql-jit instead of graphql-js's `execute`. Every
 * query here runs both ways on the same schema, data and clock, and the answers must be the same bytes; where
 * graphql-js reports an error, the compiled query must too (the lane then leaves the request to Apollo).
 *
 * The corpus is the fetches the gateway really sends for the reference operations and a spread of client
 * queries (captured from a running gateway), plus queries written to reach what those do not: fragments,
 * aliases, directives, variables of every kind, abstract types, misses and errors.
 */
const seed = 7;
const scale = 80;
const world = loadWorld({ seed, scale, anchor: DEFAULT_ANCHOR });
// Stopped at the anchor: an open state interval's duration must not move between the two runs.
const clock = () => new Date(DEFAULT_ANCHOR);
const erpBackend = createMockErpBackend({ seed, scale });
const mesBackend = createMockMesBackend({ seed, scale });
const events = new InMemoryEventBus();

type Case = { subgraph: 'erp' | 'mes'; query: string; variables: Record<string, unknown> };

const order = world.erp.salesOrders.find((o) => o.status === 'IN_PRODUCTION') ?? world.erp.salesOrders[0]!;
const lot = world.mes.lots.find((l) => l.consumedByWorkOrderIds.length > 0)!;
const machine = world.mes.machines[0]!;
const workOrder = world.mes.workOrders.find((w) => w.status === 'RUNNING') ?? world.mes.workOrders[0]!;

/** Client queries sent through the gateway; the subgraph fetches they cause join the corpus. */
const CLIENT_QUERIES: [string, Record<string, unknown>][] = [
  [loadOperation('portal'), { id: order.id }],
  [loadOperation('portal'), { id: world.erp.salesOrders[1]!.id }],
  [loadOperation('bi'), { first: 40 }],
  [loadOperation('recall'), { lotNumber: lot.lotNumber }],
  [`{ machines(first: 5) { nodes { id name state stateSince reasonCode lossCategory equipmentPath { site area workCenter }
      currentWorkOrder { id number salesOrder { number customer { name } } }
      oee(from: "2026-02-28T00:00:00Z", to: "2026-03-01T00:00:00Z") { availability performance quality oee totalCount } } } }`, {}],
  [`query($id: ID!) { workOrder(id: $id) { id number status quantityPlanned quantityGood quantityScrap scheduledStart actualStart
      product { sku name workInProgress qualityYield } operations { sequence name status machine { id state } }
      consumedLots { lotNumber quantity } producedLots { lotNumber } plannedCost actualCost } }`, { id: workOrder.id }],
  [`{ qualityInspections(first: 10) { nodes { id result characteristic measuredValue lowerLimit upperLimit workOrder { number } lot { lotNumber } } } }`, {}],
  [`{ nonConformances(first: 5) { nodes { id __typename number status openedAt inspection { id } } } customers(first: 5) { nodes { id name country creditLimit } } }`, {}],
  [`{ suppliers(first: 3) { nodes { id name } } purchaseOrders(first: 3) { nodes { id number status expectedAt lines { quantity } } } }`, {}],
  [`{ invoices(first: 5) { nodes { id number amount status issuedAt dueAt salesOrder { number productionRisk { level projectedCompletion remainingQuantity ratePerHour } } } } }`, {}],
  [`{ products(first: 5) { nodes { sku name listPrice standardCost onHand reorderPoint workInProgress qualityYield } } }`, {}],
];

/** Written for what the captured fetches do not reach. */
const WRITTEN: Case[] = [
  { subgraph: 'erp', query: '{ __typename }', variables: {} },
  { subgraph: 'erp', query: 'query($id: ID!) { salesOrder(id: $id) { ...O lines { ... on SalesOrderLine { lineNo amount } } } } fragment O on SalesOrder { id n: number total currency customer { id } }', variables: { id: order.id } },
  { subgraph: 'erp', query: 'query($id: ID!, $with: Boolean!) { salesOrder(id: $id) { id lines @include(if: $with) { lineNo } customer @skip(if: $with) { id } } }', variables: { id: order.id, with: true } },
  { subgraph: 'erp', query: 'query($id: ID!, $with: Boolean!) { salesOrder(id: $id) { id lines @include(if: $with) { lineNo } customer @skip(if: $with) { id } } }', variables: { id: order.id, with: false } },
  { subgraph: 'erp', query: 'query($id: ID!) { salesOrder(id: $id) { id } }', variables: { id: 'no-such-order' } },
  { subgraph: 'erp', query: 'query($first: Int, $after: String) { salesOrders(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status } } } }', variables: { first: 3, after: null } },
  { subgraph: 'erp', query: '{ salesOrders(first: 100000) { totalCount } }', variables: {} },
  { subgraph: 'erp', query: '{ _service { sdl } }', variables: {} },
  { subgraph: 'erp', query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Customer { id name } ... on Product { sku name } ... on SalesOrder { id number } } }',
    variables: { r: [{ __typename: 'Customer', id: world.erp.customers[0]!.id }, { __typename: 'Product', sku: 'nope' }, { __typename: 'SalesOrder', id: order.id }] } },
  { subgraph: 'mes', query: 'query($filter: MachineFilter) { machines(first: 3, filter: $filter) { totalCount nodes { id state } } }', variables: { filter: { workCenter: machine.workCenter, state: null } } },
  { subgraph: 'mes', query: 'query($id: ID!) { machine(id: $id) { id stateHistory(from: "2026-02-28T00:00:00Z") { state from to reasonCode durationSeconds } downtimeEvents { state planned lossCategory } } }', variables: { id: machine.id } },
  { subgraph: 'mes', query: 'query($id: ID!) { machine(id: $id) { oee(from: "not a date") { oee } } }', variables: { id: machine.id } },
  { subgraph: 'mes', query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on SalesOrder { id workOrders { id status } productionProgress { percentComplete workOrderCount completedWorkOrderCount } productionRisk { level projectedCompletion remainingQuantity } } } }',
    variables: { r: [{ __typename: 'SalesOrder', id: order.id, dueDate: order.dueDate }, { __typename: 'SalesOrder', id: 'unknown', dueDate: null }] } },
  { subgraph: 'mes', query: '{ eventStreamPosition { production machineStatus } }', variables: {} },
];

/** Undoes graphql-js's null-prototype objects and undefined members, so that both answers compare as JSON text. */
const bytes = (value: unknown) => JSON.stringify(value);

describe('compiled execution in the subgraph fast lane', () => {
  const schemas: Record<'erp' | 'mes', GraphQLSchema> = {} as never;
  const captured: Case[] = [];

  beforeAll(async () => {
    [schemas.erp, schemas.mes] = await Promise.all([buildErpSchema(), buildMesSchema()]);
    let erp: RunningServer | undefined;
    let mes: RunningServer | undefined;
    let gateway: RunningGateway | undefined;
    const process = SubgraphDataSource.prototype.process;
    try {
      [erp, mes] = await Promise.all([
        startErpSubgraph({ port: 0, host: '127.0.0.1', backend: erpBackend, clock }),
        startMesSubgraph({ port: 0, host: '127.0.0.1', backend: mesBackend, clock, events }),
      ]);
      gateway = await startGateway({ port: 0, host: '127.0.0.1', supergraphPath: schemaFile('supergraph'), urlOverrides: { erp: erp.url, mes: mes.url } });
      SubgraphDataSource.prototype.process = function (this: SubgraphDataSource, options: Parameters<typeof process>[0]) {
        const { query, variables } = options.request;
        captured.push({ subgraph: (this as unknown as { subgraphName: 'erp' | 'mes' }).subgraphName, query: query!, variables: { ...variables } });
        return process.call(this, options);
      };
      for (const [query, variables] of CLIENT_QUERIES) {
        const result = await postGraphQL(gateway.url, query, variables);
        expect(result.errors).toBeUndefined();
      }
    } finally {
      SubgraphDataSource.prototype.process = process;
      await gateway?.stop();
      await Promise.all([erp?.stop(), mes?.stop()]);
    }
  });

  const contextFor = (subgraph: 'erp' | 'mes') => (subgraph === 'erp' ? createErpContext(erpBackend, clock) : createMesContext(mesBackend, clock, events));

  async function bothWays({ subgraph, query, variables }: Case) {
    const document = parse(query);
    const reference = await execute({ schema: schemas[subgraph], document, contextValue: contextFor(subgraph), variableValues: variables });
    const compiled = compileQuery(schemas[subgraph], document);
    // Declined (an invalid literal argument): the lane leaves the request to Apollo, like an erroring result.
    if (!isCompiledQuery(compiled)) return { reference, result: compiled };
    const result = await compiled.query(undefined, contextFor(subgraph), variables);
    return { reference, result };
  }

  it('captured every reference operation and client query the gateway planned', () => {
    expect(new Set(captured.map((c) => c.query)).size).toBeGreaterThanOrEqual(20);
    expect(new Set(captured.map((c) => c.subgraph))).toEqual(new Set(['erp', 'mes']));
  });

  it('gives the same bytes as graphql-js for every fetch the gateway sent', async () => {
    for (const sent of captured) {
      const { reference, result } = await bothWays(sent);
      expect(reference.errors).toBeUndefined();
      expect({ query: sent.query, answer: bytes(result) }).toEqual({ query: sent.query, answer: bytes(reference) });
    }
  });

  it.each(WRITTEN.map((c) => [c.query.slice(0, 70), c] as const))('gives the same bytes or also an error: %s', async (_name, written) => {
    const { reference, result } = await bothWays(written);
    if (reference.errors) expect(result.errors?.length).toBeGreaterThan(0);
    else expect(bytes(result)).toBe(bytes(reference));
  });
});

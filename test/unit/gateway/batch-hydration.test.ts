import { buildSchema, execute, GraphQLError, parse, type ExecutionResult } from 'graphql';
import { splitBatchResult } from '../../../gateway/subscriptions/batch-result';
import { HydrationBatcher, newEntry, type Entry, type Hydrate } from '../../../gateway/subscriptions/hydration-batcher';
import { splitSubscription } from '../../../gateway/subscriptions/operation-split';
import type { SubscriptionRoute } from '../../../gateway/subscriptions/subscription-routes';

/**
 * A stand-in for the supergraph's event lookups, executed for real by graphql-js: known events, an unknown one
 * (null), one whose non-null `state` fails (the error nulls the event), one whose nullable `reason` fails (data
 * and an error), and a malformed id whose lookup throws.
 */
const schema = buildSchema(`
  type Machine { id: ID! name: String }
  type MachineStatusEvent { eventId: ID! state: String! reason: String machine: Machine }
  type Query {
    machineStatusEvent(eventId: ID!): MachineStatusEvent
    machineStatusEventsByIds(eventIds: [ID!]!): [MachineStatusEvent]
  }
  type Subscription { machineStatusChanged(machineIds: [ID!], after: ID): MachineStatusEvent! }
`);

function lookup(eventId: string): unknown {
  if (eventId === 'bad') return new GraphQLError('"bad" is not an event id', { extensions: { code: 'BAD_USER_INPUT' } });
  if (eventId === '1-9') return null;
  return {
    eventId,
    state: () => {
      if (eventId === '1-3') throw new GraphQLError('state unavailable', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      return 'RUNNING';
    },
    reason: () => {
      if (eventId === '1-4') throw new GraphQLError('reason unavailable');
      return 'none';
    },
    machine: { id: `M-${eventId}`, name: null },
  };
}

const rootValue = {
  machineStatusEvent: ({ eventId }: { eventId: string }) => {
    const found = lookup(eventId);
    if (found instanceof Error) throw found;
    return found;
  },
  // As the MES does it: a failed lookup is an Error item, which graphql-js turns into that item's error.
  machineStatusEventsByIds: ({ eventIds }: { eventIds: string[] }) => eventIds.map(lookup),
};

const routes = new Map<string, SubscriptionRoute>([
  [
    'machineStatusChanged',
    { subgraph: 'mes', url: 'ws://mes/graphql', hydrationField: 'machineStatusEvent', batchHydrationField: 'machineStatusEventsByIds' },
  ],
]);

const split = splitSubscription(
  parse('subscription($m: [ID!]) { status: machineStatusChanged(machineIds: $m) { eventId state reason machine { id name } } }'),
  undefined,
  { m: ['M-1'] },
  routes,
);

/** What the gateway hands subscribers: errors revived as GraphQLErrors, compared as they are sent (toJSON). */
const hydrate: Hydrate = async (query, variables) => {
  const result = (await execute({ schema, document: parse(query), rootValue, variableValues: variables })) as ExecutionResult;
  return { data: result.data, ...(result.errors ? { errors: result.errors.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) } : {}) };
};

const asSent = (result: ExecutionResult) => JSON.parse(JSON.stringify({ ...result, errors: result.errors?.map((e) => e.toJSON()) }));

const IDS = ['1-1', '1-2', '1-3', '1-4', '1-9', 'bad', '1-5'];

describe('batch hydration', () => {
  it('builds one by-ids operation with the same selection, alias and variables', () => {
    expect(split.hydration.batch!.query.replace(/\s+/g, ' ')).toBe(
      'query ForgeHydrateBatch($forgeEventIds: [ID!]!) { status: machineStatusEventsByIds(eventIds: $forgeEventIds) { eventId state reason machine { id name } } }',
    );
    expect(split.hydration.batch!.variables(['1-1', '1-2'])).toEqual({ forgeEventIds: ['1-1', '1-2'] });
  });

  it("splits into exactly each single hydration's result: data, nulls, and errors on the right event", async () => {
    const batch = await hydrate(split.hydration.batch!.query, split.hydration.batch!.variables(IDS));
    const parts = splitBatchResult(batch, split.responseKey, IDS.length)!;
    const singles = await Promise.all(IDS.map((id) => hydrate(split.hydration.query, split.hydration.variables(id))));
    expect(parts.map(asSent)).toEqual(singles.map(asSent));
    // The cases are what they claim to be.
    expect(asSent(parts[2]!)).toEqual({ data: { status: null }, errors: [{ message: 'state unavailable', path: ['status', 'state'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
    expect(parts[3]!.data).toEqual({ status: expect.objectContaining({ reason: null }) });
    expect(parts[3]!.errors!.map((e) => e.path)).toEqual([['status', 'reason']]);
    expect(parts[4]).toEqual({ data: { status: null } });
    expect(parts[5]!.errors!.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(parts[0]!.errors).toBeUndefined();
  });

  it('gives an error on the whole field, or without a path, to every event; no data at all means no split', () => {
    const shared = new GraphQLError('mes could not be reached', { path: ['status'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    const parts = splitBatchResult({ data: { status: null }, errors: [shared] }, 'status', 2)!;
    expect(parts.map(asSent)).toEqual([0, 1].map(() => ({ data: { status: null }, errors: [{ message: 'mes could not be reached', path: ['status'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] })));
    expect(splitBatchResult({ errors: [new GraphQLError('too complex')] }, 'status', 2)).toBeNull();
  });

  it('does not split a result with field-authorization denials, which are reported once per response', () => {
    const denial = new GraphQLError('Machine.name is not allowed for this caller (missing scope)', {
      path: ['status', 0, 'machine', 'name'],
      extensions: { code: 'FORBIDDEN', field: 'Machine.name' },
    });
    expect(splitBatchResult({ data: { status: [{ machine: { name: null } }, { machine: { name: null } }] }, errors: [denial] }, 'status', 2)).toBeNull();
    // A subgraph's own FORBIDDEN on one item (no field coordinate) is that item's error.
    const own = new GraphQLError('not yours', { path: ['status', 1], extensions: { code: 'FORBIDDEN' } });
    expect(splitBatchResult({ data: { status: [{ machine: null }, null] }, errors: [own] }, 'status', 2)!.map((r) => r.errors?.length ?? 0)).toEqual([0, 1]);
  });
});

describe('HydrationBatcher', () => {
  const owner = () => ({ settled: jest.fn<void, [Entry]>() });
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const settledAll = (entries: Entry[]) => Promise.all(entries.map((e) => e.result));

  it('hydrates the events of one turn of the event loop in one operation, an event in two groups once', async () => {
    const calls: string[][] = [];
    const batcher = new HydrationBatcher(split.hydration, async (query, variables) => {
      calls.push(query.includes('ByIds') ? (variables.forgeEventIds as string[]) : [String(variables.forgeEventId)]);
      return hydrate(query, variables);
    }, split.responseKey, { concurrency: 1, maxBatch: 100 });
    const [a, b] = [owner(), owner()];
    const entries = ['1-1', '1-2', '1-5'].map((id, seq) => newEntry(id, seq));
    const again = newEntry('1-2', 0);
    for (const entry of entries) batcher.add(entry, a);
    batcher.add(again, b);
    await settledAll([...entries, again]);
    expect(calls).toEqual([['1-1', '1-2', '1-5']]);
    expect(again.hydrated).toBe(entries[1]!.hydrated);
    expect(a.settled.mock.calls.map(([e]) => e.eventId)).toEqual(['1-1', '1-2', '1-5']);
    expect(b.settled).toHaveBeenCalledWith(again);
  });

  it('batches what arrives while the running operations are busy', async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new HydrationBatcher(split.hydration, async (query, variables) => {
      calls.push(variables.forgeEventIds as string[]);
      await gate;
      return hydrate(query, variables);
    }, split.responseKey, { concurrency: 1, maxBatch: 2 });
    const o = owner();
    const first = newEntry('1-1', 0);
    batcher.add(first, o);
    await tick();
    const later = ['1-2', '1-4', '1-5'].map((id, i) => newEntry(id, i + 1));
    for (const entry of later) batcher.add(entry, o);
    await tick();
    expect(calls).toEqual([['1-1']]);
    release();
    await settledAll([first, ...later]);
    expect(calls).toEqual([['1-1'], ['1-2', '1-4'], ['1-5']]);
  });

  it('falls back to one hydration per event when the batch fails as a request', async () => {
    const singles: string[] = [];
    const batcher = new HydrationBatcher(split.hydration, async (query, variables) => {
      if (query.includes('ByIds')) return { errors: [new GraphQLError('refused')] };
      singles.push(String(variables.forgeEventId));
      return hydrate(query, variables);
    }, split.responseKey, { concurrency: 1, maxBatch: 100 });
    const entries = ['1-1', '1-3'].map((id, seq) => newEntry(id, seq));
    for (const entry of entries) batcher.add(entry, owner());
    const [one, three] = await settledAll(entries);
    expect(singles).toEqual(['1-1', '1-3']);
    expect(one!.result.data).toEqual({ status: { eventId: '1-1', state: 'RUNNING', reason: 'none', machine: { id: 'M-1-1', name: null } } });
    expect(three!.result.errors!.map((e) => e.message)).toEqual(['state unavailable']);
  });

  it("abandons a departed owner's waiting entries and never hydrates them", async () => {
    const hydrations = jest.fn(hydrate);
    const batcher = new HydrationBatcher(split.hydration, hydrations, split.responseKey, { concurrency: 1, maxBatch: 100 });
    const gone = owner();
    const entry = newEntry('1-1', 0);
    batcher.add(entry, gone);
    batcher.drop(gone);
    expect((await entry.result).result.errors!.map((e) => e.message)).toEqual(['the subscription ended']);
    await tick();
    expect(hydrations).not.toHaveBeenCalled();
    expect(gone.settled).not.toHaveBeenCalled();
  });
});

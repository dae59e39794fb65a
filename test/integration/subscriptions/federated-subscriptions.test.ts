import { generateWorld } from '../../../mocks/dataset';
import { Stack, startStack } from '../../fixtures/stack';
import { subscribe, Subscriber } from '../../fixtures/subscriber';

/**
 * Subscriptions through the real gateway and MES processes on the in-memory event bus: hydration across
 * subgraphs, filters, resuming after a cut, expiry, and errors that stay on their event.
 */
const SEED = 21;
const SCALE = 40;

const RECORD_STATE = `mutation($input: RecordMachineStateInput!) { recordMachineState(input: $input) { id state } }`;
const POSITION = '{ eventStreamPosition { machineStatus production } }';

describe('federated subscriptions (in-memory bus)', () => {
  const world = generateWorld({ seed: SEED, scale: SCALE });
  let stack: Stack;
  const open: Subscriber[] = [];

  beforeAll(async () => {
    stack = await startStack({ seed: SEED, scale: SCALE, env: { SIMULATOR_RATE: '0', EVENT_RETENTION_COUNT: '150' } });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const track = (subscriber: Subscriber) => (open.push(subscriber), subscriber);
  const position = async () => (await stack.query(POSITION)).data.eventStreamPosition as { machineStatus: string; production: string };
  const [machineA, machineB] = world.mes.machines;
  // Each mutation must be a real change: from RUNNING go IDLE, from anything else go RUNNING, alternating after.
  const lastState = new Map(world.mes.machines.map((m) => [m.id, m.state as string]));
  const toggle = async (machineId: string) => {
    const state = lastState.get(machineId) === 'RUNNING' ? 'IDLE' : 'RUNNING';
    const input = state === 'IDLE' ? { machineId, state, reasonCode: 'No work order', lossCategory: 'PLANNED' } : { machineId, state };
    const response = await stack.query(RECORD_STATE, { input });
    expect(response.errors).toBeUndefined();
    lastState.set(machineId, state);
    return response.data.recordMachineState.state as string;
  };

  it('hydrates ERP fields selected inside productionEvents with the ERP values', async () => {
    const workOrder = world.mes.workOrders.find((w) => w.status === 'RUNNING')!;
    const order = world.erp.salesOrders.find((o) => o.id === workOrder.salesOrderId)!;
    const customer = world.erp.customers.find((c) => c.id === order.customerId)!;
    const after = (await position()).production;
    const subscriber = track(
      subscribe(
        stack.gatewayUrl,
        `subscription($so: ID!, $after: ID) {
          productionEvents(salesOrderId: $so, after: $after) {
            eventId type good scrap
            workOrder { id number salesOrder { number dueDate customer { name } } }
          }
        }`,
        { so: order.id, after },
      ),
    );
    const report = await stack.query(
      `mutation($id: ID!) { reportProduction(workOrderId: $id, good: 3, scrap: 1, idempotencyKey: "hydrate-1") { duplicate } }`,
      { id: workOrder.id },
    );
    expect(report.errors).toBeUndefined();

    const [event] = await subscriber.waitFor(1);
    expect(event.errors).toBeUndefined();
    expect(event.data.productionEvents).toMatchObject({
      type: 'PRODUCTION_REPORTED',
      good: 3,
      scrap: 1,
      workOrder: {
        id: workOrder.id,
        number: workOrder.number,
        salesOrder: { number: order.number, dueDate: order.dueDate, customer: { name: customer.name } },
      },
    });
  });

  it('applies filters: a subscriber to one machine receives only that machine', async () => {
    const after = (await position()).machineStatus;
    const onlyA = track(
      subscribe(stack.gatewayUrl, `subscription($m: [ID!], $after: ID) { machineStatusChanged(machineIds: $m, after: $after) { eventId state machine { id } } }`, {
        m: [machineA.id],
        after,
      }),
    );
    const expected: string[] = [];
    for (let i = 0; i < 3; i++) {
      expected.push(await toggle(machineA.id));
      await toggle(machineB.id);
    }
    const received = await onlyA.waitFor(3);
    expect(received.map((r) => [r.data.machineStatusChanged.machine.id, r.data.machineStatusChanged.state])).toEqual(
      expected.map((state) => [machineA.id, state]),
    );
    await toggle(machineB.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(onlyA.results).toHaveLength(3);
  });

  it('resumes after a cut: every missed event once, in order, then live ones', async () => {
    const query = `subscription($after: ID) { machineStatusChanged(after: $after) { eventId state machine { id } } }`;
    const first = track(subscribe(stack.gatewayUrl, query, { after: (await position()).machineStatus }));
    await toggle(machineA.id);
    const [seen] = await first.waitFor(1);
    const lastId = seen.data.machineStatusChanged.eventId as string;
    await first.close();

    const missed: string[] = [];
    for (let i = 0; i < 100; i++) missed.push(`${i % 2 ? machineB.id : machineA.id}`), await toggle(missed[i]);

    const resumed = track(subscribe(stack.gatewayUrl, query, { after: lastId }));
    const replay = await resumed.waitFor(100);
    const ids = replay.map((r) => r.data.machineStatusChanged.eventId as string);
    expect(new Set(ids).size).toBe(100);
    expect(ids).not.toContain(lastId);
    expect(replay.map((r) => r.data.machineStatusChanged.machine.id)).toEqual(missed);
    expect([...ids].sort(compareIds)).toEqual(ids);

    await toggle(machineA.id);
    const [live] = (await resumed.waitFor(101)).slice(100);
    expect(compareIds(live.data.machineStatusChanged.eventId, ids[99])).toBeGreaterThan(0);
  });

  it('refuses a resume point older than the retained history with EVENT_ID_EXPIRED', async () => {
    const oldest = (await position()).machineStatus;
    for (let i = 0; i < 160; i++) await toggle(machineA.id); // retention here is 150 events
    const late = track(subscribe(stack.gatewayUrl, `subscription($after: ID) { machineStatusChanged(after: $after) { eventId } }`, { after: oldest }));
    const ended = await late.ended;
    expect(ended.kind).toBe('error');
    const errors = (ended as { error: { extensions?: { code?: string } }[] }).error;
    expect(errors[0].extensions?.code).toBe('EVENT_ID_EXPIRED');
  });

  it('refuses a malformed resume point with BAD_USER_INPUT', async () => {
    const bad = track(subscribe(stack.gatewayUrl, `subscription { machineStatusChanged(after: "yesterday") { eventId } }`));
    const ended = await bad.ended;
    expect(ended.kind).toBe('error');
    expect((ended as { error: { extensions?: { code?: string } }[] }).error[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  // Last: it stops the ERP process.
  it('reports a hydration failure as errors on that event and keeps the subscription open', async () => {
    const workOrder = world.mes.workOrders.filter((w) => w.status === 'RUNNING')[1];
    const subscriber = track(
      subscribe(stack.gatewayUrl, `subscription($after: ID) { productionEvents(after: $after) { eventId type workOrder { id salesOrder { number } } } }`, {
        after: (await position()).production,
      }),
    );
    await stack.processes.erp.stop();
    for (const key of ['erp-down-1', 'erp-down-2']) {
      const report = await stack.query(
        `mutation($id: ID!, $key: String!) { reportProduction(workOrderId: $id, good: 1, scrap: 0, idempotencyKey: $key) { duplicate } }`,
        { id: workOrder.id, key },
      );
      expect(report.errors).toBeUndefined();
    }
    const events = await subscriber.waitFor(2);
    for (const event of events) {
      expect(event.data.productionEvents).toMatchObject({ type: 'PRODUCTION_REPORTED', workOrder: { id: workOrder.id, salesOrder: null } });
      expect(event.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');
    }
    expect(subscriber.closeCode()).toBeNull();
  });
});

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || as - bs;
}

import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { generateWorld } from '../../../mocks/dataset';
import type { Clock } from '../../../subgraphs/common/clock';
import type { BusEvent, EventStream } from '../../../subgraphs/mes/events/event-types';
import { InMemoryEventBus } from '../../../subgraphs/mes/events/in-memory-event-bus';
import { ANCHOR, DATASET, MesHarness } from './harness';

/** Every MES write announces what happened on the event bus: exactly the events below, nothing for a retry. */
describe('events published by MES writes', () => {
  let mes: MesHarness;
  beforeAll(async () => (mes = await MesHarness.start()));
  afterAll(() => mes.stop());
  const world = generateWorld(DATASET);
  const clock: Clock = () => new Date(ANCHOR.getTime() + 60_000);

  function fresh() {
    const backend = createMockMesBackend(DATASET);
    const events = new InMemoryEventBus();
    const run = (query: string, variables?: Record<string, unknown>) => mes.run(backend, clock, query, variables, events);
    const published = async <S extends EventStream>(stream: S): Promise<BusEvent<S>['payload'][]> => {
      const out: BusEvent<S>['payload'][] = [];
      const iterator = events.subscribe(stream, { after: '0-0' });
      const head = await events.head(stream);
      if (head === '0-0') return out;
      for await (const event of iterator) {
        out.push(event.payload);
        if (event.eventId === head) break;
      }
      return out;
    };
    return { run, published };
  }

  const REPORT = `mutation($id: ID!, $good: Int!, $key: String!) {
    reportProduction(workOrderId: $id, good: $good, scrap: 1, idempotencyKey: $key) { duplicate workOrder { status } }
  }`;

  it('releasing a work order announces WORK_ORDER_RELEASED', async () => {
    const { run, published } = fresh();
    const planned = world.mes.workOrders.find((w) => w.status === 'PLANNED')!;
    expect((await run(`mutation($id: ID!) { releaseWorkOrder(id: $id) { id } }`, { id: planned.id })).errors).toBeUndefined();
    expect(await published('production')).toEqual([
      expect.objectContaining({ type: 'WORK_ORDER_RELEASED', workOrderId: planned.id, salesOrderId: planned.salesOrderId }),
    ]);
  });

  it('the first report starts the work order, the one reaching the plan completes it, a retry announces nothing', async () => {
    const { run, published } = fresh();
    const released = world.mes.workOrders.find((w) => w.status === 'RELEASED')!;
    await run(REPORT, { id: released.id, good: 1, key: 'k1' });
    await run(REPORT, { id: released.id, good: 1, key: 'k1' }); // retry of the same report
    const rest = released.quantityPlanned - released.quantityGood - 1;
    const last = await run(REPORT, { id: released.id, good: rest, key: 'k2' });
    expect(last.data.reportProduction.workOrder.status).toBe('COMPLETED');
    expect((await published('production')).map((e) => [e.type, e.workOrderId, e.good])).toEqual([
      ['WORK_ORDER_STARTED', released.id, null],
      ['PRODUCTION_REPORTED', released.id, 1],
      ['PRODUCTION_REPORTED', released.id, rest],
      ['WORK_ORDER_COMPLETED', released.id, null],
    ]);
  });

  it('a failed inspection announces QUALITY_FAILED; a passing one nothing', async () => {
    const { run, published } = fresh();
    const workOrder = world.mes.workOrders.find((w) => w.status === 'RUNNING')!;
    const record = (value: number) =>
      run(`mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { result } } }`, {
        input: { workOrderId: workOrder.id, characteristic: 'Bore diameter', measuredValue: value, lowerLimit: 9.9, upperLimit: 10.1, unit: 'mm' },
      });
    await record(10);
    await record(10.4);
    expect(await published('production')).toEqual([expect.objectContaining({ type: 'QUALITY_FAILED', workOrderId: workOrder.id })]);
  });

  it('a machine state change announces machineStatusChanged, and going DOWN also MACHINE_DOWN', async () => {
    const { run, published } = fresh();
    const machine = world.mes.machines.find((m) => m.state === 'RUNNING')!;
    const record = (input: Record<string, unknown>) =>
      run(`mutation($input: RecordMachineStateInput!) { recordMachineState(input: $input) { state } }`, { input: { machineId: machine.id, ...input } });
    expect((await record({ state: 'DOWN', reasonCode: 'Machine malfunction', lossCategory: 'AVAILABILITY' })).errors).toBeUndefined();
    await record({ state: 'DOWN', reasonCode: 'Machine malfunction', lossCategory: 'AVAILABILITY' }); // no change: no event
    expect(await published('machine-status')).toEqual([
      expect.objectContaining({ machineId: machine.id, workCenter: machine.workCenter, previousState: 'RUNNING', state: 'DOWN', reasonCode: 'Machine malfunction' }),
    ]);
    expect(await published('production')).toEqual([expect.objectContaining({ type: 'MACHINE_DOWN', machineId: machine.id })]);
  });

  it('refuses a stop without a reason code', async () => {
    const { run, published } = fresh();
    const result = await run(`mutation { recordMachineState(input: { machineId: "${world.mes.machines[0].id}", state: DOWN }) { state } }`);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reasonCode' });
    expect(await published('machine-status')).toEqual([]);
  });
});

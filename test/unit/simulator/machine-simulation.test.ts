import { STOP_REASONS } from '../../../mocks/dataset/catalog';
import type { InMemoryMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { isSimulatedTransition } from '../../../mocks/simulator/machine-transitions';
import { createMachineSimulation, type SimulatedAction } from '../../../mocks/simulator/machine-simulator';
import type { MachineState, WorkOrderStatus } from '../../../subgraphs/mes/backend/mes-backend';
import { freshBackend, RecordingEventBus, SIM_SEED, steppingClock } from './simulator-fixtures';

interface Run {
  backend: InMemoryMesBackend;
  events: RecordingEventBus;
  actions: (SimulatedAction | null)[];
  errors: unknown[];
}

/** Drives the simulator one step at a time: no timers, no wall clock. */
async function simulate(steps: number, backend = freshBackend(), seed = SIM_SEED): Promise<Run> {
  const events = new RecordingEventBus();
  const errors: unknown[] = [];
  const simulation = createMachineSimulation({ seed, backend, events, clock: steppingClock(), onError: (e) => errors.push(e) });
  const actions: (SimulatedAction | null)[] = [];
  for (let i = 0; i < steps; i++) actions.push(await simulation.step());
  expect(simulation.actions()).toBe(actions.filter((a) => a !== null).length);
  return { backend, events, actions, errors };
}

const ofKind = <K extends SimulatedAction['kind']>(actions: (SimulatedAction | null)[], kind: K) =>
  actions.filter((a): a is Extract<SimulatedAction, { kind: K }> => a?.kind === kind);
const ALL = { offset: 0, limit: 10_000 };

describe('machine simulation', () => {
  it('repeats the same actions and events from the same seed and backend, and differs with another seed', async () => {
    const first = await simulate(300);
    const second = await simulate(300);
    expect(second.actions).toEqual(first.actions);
    expect(second.events.published).toEqual(first.events.published.map((e) => ({ ...e, eventId: expect.any(String) })));
    const other = await simulate(300, freshBackend(), SIM_SEED + 1);
    expect(other.actions).not.toEqual(first.actions);
  });

  describe('a long run on the seeded floor', () => {
    let run: Run;
    let initial: Awaited<ReturnType<InMemoryMesBackend['listWorkOrders']>>['items'];
    let initialStates: Map<string, MachineState>;
    /** Status of each reported work order and state of its machine when the report reached the backend. */
    const atReport: { status: WorkOrderStatus; machineState: MachineState | null }[] = [];

    beforeAll(async () => {
      const backend = freshBackend();
      initial = (await backend.listWorkOrders({}, ALL)).items;
      initialStates = new Map((await backend.listMachines({}, ALL)).items.map((m) => [m.id, m.state]));
      const store = backend.reportProduction.bind(backend);
      backend.reportProduction = async (input) => {
        const [[workOrder], [machine]] = await Promise.all([backend.getWorkOrders([input.workOrderId]), backend.getMachines([input.machineId ?? ''])]);
        atReport.push({ status: workOrder!.status, machineState: machine?.state ?? null });
        return store(input);
      };
      run = await simulate(800, backend);
    });

    it('performs every action it chooses without a refusal, of every kind', () => {
      expect(run.errors).toEqual([]);
      expect(run.actions).not.toContain(null);
      for (const kind of ['change-state', 'report-production', 'release'] as const) expect(ofKind(run.actions, kind).length).toBeGreaterThan(0);
    });

    it('publishes one machine-status event per state change, each a valid transition with a reason where required', () => {
      const changes = ofKind(run.actions, 'change-state');
      const statusEvents = run.events.machineStatus();
      expect(statusEvents).toHaveLength(changes.length);
      const current = new Map(initialStates);
      for (const event of statusEvents) {
        // Continuity: each event starts where the machine's previous one left it.
        expect(event.previousState).toBe(current.get(event.machineId));
        current.set(event.machineId, event.state);
        expect(event.state).not.toBe(event.previousState);
        expect(isSimulatedTransition(event.previousState, event.state)).toBe(true);
        if (event.state === 'RUNNING') {
          expect(event.reasonCode).toBeNull();
        } else {
          expect(STOP_REASONS[event.state]).toContainEqual(expect.objectContaining({ reasonCode: event.reasonCode, lossCategory: event.lossCategory }));
        }
      }
      const downs = statusEvents.filter((e) => e.state === 'DOWN').length;
      expect(run.events.production().filter((e) => e.type === 'MACHINE_DOWN')).toHaveLength(downs);
    });

    it('reports production only on reportable work orders, mostly ones on a RUNNING machine', () => {
      const reports = ofKind(run.actions, 'report-production');
      expect(atReport).toHaveLength(reports.length);
      for (const { status } of atReport) expect(['RELEASED', 'RUNNING', 'PAUSED']).toContain(status);
      const onRunning = atReport.filter((r) => r.machineState === 'RUNNING').length;
      expect(onRunning / atReport.length).toBeGreaterThan(0.9);
      expect(run.events.production().filter((e) => e.type === 'PRODUCTION_REPORTED')).toHaveLength(reports.length);
      expect(new Set(reports.map((r) => r.idempotencyKey)).size).toBe(reports.length);
      for (const report of reports) expect(report.idempotencyKey).toMatch(new RegExp(`^sim-${SIM_SEED}-\\d+$`));
    });

    it('grows the backend counts by exactly what was reported, completing work orders that reach their plan', async () => {
      const added = new Map<string, { good: number; scrap: number }>();
      for (const report of ofKind(run.actions, 'report-production')) {
        const sum = added.get(report.workOrderId) ?? { good: 0, scrap: 0 };
        added.set(report.workOrderId, { good: sum.good + report.good, scrap: sum.scrap + report.scrap });
      }
      const now = new Map((await run.backend.listWorkOrders({}, ALL)).items.map((wo) => [wo.id, wo]));
      for (const before of initial) {
        const after = now.get(before.id)!;
        const sum = added.get(before.id) ?? { good: 0, scrap: 0 };
        expect([after.quantityGood - before.quantityGood, after.quantityScrap - before.quantityScrap]).toEqual([sum.good, sum.scrap]);
      }
      const completed = run.events.production().filter((e) => e.type === 'WORK_ORDER_COMPLETED');
      expect(completed.length).toBeGreaterThan(0);
      for (const event of completed) {
        const workOrder = now.get(event.workOrderId!)!;
        expect(workOrder.status).toBe('COMPLETED');
        expect(workOrder.quantityGood).toBeGreaterThanOrEqual(workOrder.quantityPlanned);
      }
    });

    it('releases PLANNED work orders, which then leave PLANNED', async () => {
      const releases = ofKind(run.actions, 'release');
      const released = run.events.production().filter((e) => e.type === 'WORK_ORDER_RELEASED');
      expect(released.map((e) => e.workOrderId)).toEqual(releases.map((r) => r.workOrderId));
      for (const release of releases) {
        expect(initial.find((wo) => wo.id === release.workOrderId)?.status).toBe('PLANNED');
        const [now] = await run.backend.getWorkOrders([release.workOrderId]);
        expect(now!.status).not.toBe('PLANNED');
      }
    });
  });

  it('reaches live subscribers of both streams', async () => {
    const events = new RecordingEventBus();
    const simulation = createMachineSimulation({ seed: SIM_SEED, backend: freshBackend(), events, clock: steppingClock() });
    const statuses = events.subscribe('machine-status');
    const production = events.subscribe('production');
    while (events.machineStatus().length === 0 || events.production().length === 0) await simulation.step();
    expect((await statuses.next()).value.payload).toEqual(events.machineStatus()[0]);
    expect((await production.next()).value.payload).toEqual(events.production()[0]);
    await statuses.return!();
    await production.return!();
    await events.close();
  });

  it('reads the floor afresh for every action, seeing what other writers changed', async () => {
    const backend = freshBackend();
    const events = new RecordingEventBus();
    const clock = steppingClock();
    const simulation = createMachineSimulation({ seed: SIM_SEED, backend, events, clock });
    await simulation.step();
    for (const machine of (await backend.listMachines({}, ALL)).items) {
      await backend.recordMachineState(machine.id, { state: 'OFFLINE', reasonCode: 'Shift not staffed', lossCategory: 'PLANNED', at: clock().toISOString() });
    }
    let change: Extract<SimulatedAction, { kind: 'change-state' }> | undefined;
    while (!change) change = ofKind([await simulation.step()], 'change-state')[0];
    expect(change.from).toBe('OFFLINE');
  });

  it('contains errors: a refused or failing action goes to onError and the next one runs', async () => {
    const backend = freshBackend();
    let reads = 0;
    const listMachines = backend.listMachines.bind(backend);
    backend.listMachines = async (...args) => {
      if (++reads === 1) throw new Error('backend unavailable');
      return listMachines(...args);
    };
    backend.recordMachineState = async () => {
      throw new Error('PLC not answering');
    };
    const errors: unknown[] = [];
    const events = new RecordingEventBus();
    const simulation = createMachineSimulation({
      seed: SIM_SEED,
      backend,
      events,
      clock: steppingClock(),
      onError: (error) => {
        errors.push(error);
        throw new Error('a broken error handler');
      },
    });
    const actions: (SimulatedAction | null)[] = [];
    for (let i = 0; i < 100; i++) actions.push(await simulation.step());

    expect(actions[0]).toBeNull();
    expect((errors[0] as Error).message).toBe('backend unavailable');
    const changes = ofKind(actions, 'change-state');
    expect(changes.length).toBeGreaterThan(0);
    expect(errors.filter((e) => (e as Error).message === 'PLC not answering')).toHaveLength(changes.length);
    expect(errors).toHaveLength(1 + changes.length);
    expect(events.machineStatus()).toEqual([]);
    // Production carried on regardless.
    expect(events.production().filter((e) => e.type === 'PRODUCTION_REPORTED').length).toBe(ofKind(actions, 'report-production').length);
    expect(simulation.actions()).toBe(99);
  });
});

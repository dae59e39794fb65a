import { STOP_REASONS } from '../../../mocks/dataset/catalog';
import { Random } from '../../../mocks/dataset/random';
import { isSimulatedTransition, NEXT_STATES } from '../../../mocks/simulator/machine-transitions';
import { chooseNextAction, MAX_GOOD_PER_REPORT, type SimulatedAction } from '../../../mocks/simulator/next-action';
import { readShopFloor, type ShopFloorSnapshot } from '../../../mocks/simulator/shop-floor';
import { MACHINE_STATES, type MachineRecord, type MachineState } from '../../../subgraphs/mes/backend/mes-backend';
import { reportingMachine } from '../../../subgraphs/mes/production/report-production';
import { freshBackend } from './simulator-fixtures';

/** The chooser alone: pure, so it is tested on snapshots without a backend write in sight. */
describe('chooseNextAction', () => {
  let floor: ShopFloorSnapshot;
  beforeAll(async () => (floor = await readShopFloor(freshBackend())));

  const draw = (seed: number, snapshot: ShopFloorSnapshot, count: number): SimulatedAction[] => {
    const rng = new Random(seed);
    return Array.from({ length: count }, (_, i) => chooseNextAction(rng, snapshot, `k-${i}`)!);
  };
  const ofKind = <K extends SimulatedAction['kind']>(actions: SimulatedAction[], kind: K) =>
    actions.filter((a): a is Extract<SimulatedAction, { kind: K }> => a.kind === kind);

  it('makes the same choices from the same seed and snapshot, and other choices from another seed', () => {
    expect(draw(1, floor, 200)).toEqual(draw(1, floor, 200));
    expect(draw(2, floor, 200)).not.toEqual(draw(1, floor, 200));
  });

  it('moves machines only along the chain, with a catalog reason and loss category for every stop', () => {
    const changes = ofKind(draw(3, floor, 3_000), 'change-state');
    expect(changes.length).toBeGreaterThan(500);
    const machines = new Map(floor.machines.map((m) => [m.id, m]));
    for (const change of changes) {
      expect(change.from).toBe(machines.get(change.machineId)!.state);
      expect(change.state).not.toBe(change.from);
      expect(isSimulatedTransition(change.from, change.state)).toBe(true);
      if (change.state === 'RUNNING') {
        expect([change.reasonCode, change.lossCategory]).toEqual([null, null]);
      } else {
        expect(STOP_REASONS[change.state]).toContainEqual(expect.objectContaining({ reasonCode: change.reasonCode, lossCategory: change.lossCategory }));
      }
    }
    // Both planned and unplanned losses occur.
    const categories = new Set(changes.map((c) => c.lossCategory));
    expect(categories.has('PLANNED') && categories.has('AVAILABILITY')).toBe(true);
  });

  it('never says "No work order" for a machine that has one', () => {
    const busy = floor.machines.map((m): MachineRecord => ({ ...m, state: 'RUNNING', currentWorkOrderId: 'WO-1' }));
    const changes = ofKind(draw(4, { ...floor, machines: busy }, 2_000), 'change-state');
    expect(changes.some((c) => c.state === 'IDLE')).toBe(true);
    expect(changes.filter((c) => c.reasonCode === 'No work order')).toEqual([]);
  });

  it('reports a few parts on work whose current step is on a RUNNING machine, within what the plan still needs', () => {
    const running = new Set(floor.machines.filter((m) => m.state === 'RUNNING').map((m) => m.id));
    const producing = new Set(floor.reportable.filter((wo) => running.has(reportingMachine(wo)!)).map((wo) => wo.id));
    expect(producing.size).toBeGreaterThan(0);
    const reports = ofKind(draw(5, floor, 1_000), 'report-production');
    expect(reports.length).toBeGreaterThan(400);
    const byId = new Map(floor.reportable.map((wo) => [wo.id, wo]));
    for (const report of reports) {
      expect(producing.has(report.workOrderId)).toBe(true);
      const workOrder = byId.get(report.workOrderId)!;
      expect(report.good).toBeGreaterThanOrEqual(1);
      expect(report.good).toBeLessThanOrEqual(Math.max(1, Math.min(MAX_GOOD_PER_REPORT, workOrder.quantityPlanned - workOrder.quantityGood)));
      expect(report.scrap).toBeGreaterThanOrEqual(0);
    }
    expect(reports.some((r) => r.scrap > 0)).toBe(true);
    expect(new Set(reports.map((r) => r.idempotencyKey)).size).toBe(reports.length);
  });

  it('falls back to other open work when no machine runs, and reports nothing when there is no open work', () => {
    const stopped = floor.machines.map((m): MachineRecord => ({ ...m, state: 'IDLE' }));
    const fallback = ofKind(draw(6, { ...floor, machines: stopped }, 500), 'report-production');
    expect(fallback.length).toBeGreaterThan(0);
    const none = draw(6, { ...floor, reportable: [], reportableCount: 0, nextPlanned: null }, 500);
    expect(none.every((a) => a.kind === 'change-state')).toBe(true);
  });

  it('releases the first PLANNED work order, rarely while work is plentiful and often when it runs short', () => {
    expect(floor.nextPlanned?.status).toBe('PLANNED');
    const plentiful = ofKind(draw(7, floor, 2_000), 'release');
    const short = ofKind(draw(7, { ...floor, reportable: [], reportableCount: 0 }, 2_000), 'release');
    expect(plentiful.length).toBeGreaterThan(0);
    expect(short.length).toBeGreaterThan(plentiful.length * 5);
    for (const release of [...plentiful, ...short]) expect(release.workOrderId).toBe(floor.nextPlanned!.id);
  });

  it('chooses nothing when there is neither a machine nor work', () => {
    const empty: ShopFloorSnapshot = { machines: [], reportable: [], reportableCount: 0, nextPlanned: null };
    expect(chooseNextAction(new Random(1), empty, 'k')).toBeNull();
  });

  it('keeps machines running most of the time, with every state reachable', () => {
    // Apply state changes only, to the snapshot itself: each step is one tick of floor time for every machine.
    let machines = floor.machines.map((m): MachineRecord => ({ ...m }));
    const rng = new Random(8);
    const time = Object.fromEntries(MACHINE_STATES.map((s) => [s, 0])) as Record<MachineState, number>;
    for (let i = 0; i < 20_000; i++) {
      const action = chooseNextAction(rng, { machines, reportable: [], reportableCount: 0, nextPlanned: null }, 'k')!;
      if (action.kind !== 'change-state') throw new Error('only state changes are possible without work');
      machines = machines.map((m) => (m.id === action.machineId ? { ...m, state: action.state } : m));
      for (const m of machines) time[m.state] += 1;
    }
    const total = Object.values(time).reduce((a, b) => a + b, 0);
    const share = (state: MachineState) => time[state] / total;
    expect(share('RUNNING')).toBeGreaterThan(0.5);
    for (const state of MACHINE_STATES) expect(share(state)).toBeGreaterThan(0);
    // OFFLINE is the rare one among the stops.
    expect(share('OFFLINE')).toBeLessThan(share('DOWN'));
    expect(Object.keys(NEXT_STATES).sort()).toEqual([...MACHINE_STATES].sort());
  });
});

import { generateWorld } from '../../../mocks/dataset';
import { InMemoryMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import type { MachineRecord, ProductionCountRecord, StateIntervalRecord } from '../../../subgraphs/mes/backend/mes-backend';

const world = generateWorld({ seed: 42, scale: 300 });
const anchor = Date.parse(world.anchor);

/** The DESIGN formula: availability × performance × quality over [from, to); planned stops leave planned time. */
function oee(machine: MachineRecord, intervals: StateIntervalRecord[], counts: ProductionCountRecord[], from: number, to: number) {
  let planned = 0;
  let run = 0;
  for (const interval of intervals) {
    const length = Math.min(to, interval.to === null ? to : Date.parse(interval.to)) - Math.max(from, Date.parse(interval.from));
    if (interval.lossCategory !== 'PLANNED') planned += length;
    if (interval.state === 'RUNNING') run += length;
  }
  const total = counts.reduce((sum, c) => sum + c.good + c.scrap, 0);
  const good = counts.reduce((sum, c) => sum + c.good, 0);
  const availability = run / planned;
  const performance = (machine.idealCycleTimeSeconds * 1000 * total) / run;
  const quality = good / total;
  return { availability, performance, quality, oee: availability * performance * quality };
}

describe('OEE inputs', () => {
  it('stay within [0, 1] over each machine\'s whole history, with no more output than run time allows', () => {
    for (const machine of world.mes.machines) {
      const intervals = world.mes.stateIntervals.filter((i) => i.machineId === machine.id);
      const counts = world.mes.productionCounts.filter((c) => c.machineId === machine.id);
      const result = oee(machine, intervals, counts, Date.parse(intervals[0]!.from), anchor);
      for (const term of Object.values(result)) {
        expect(term).toBeGreaterThan(0);
        expect(term).toBeLessThanOrEqual(1);
      }
    }
  });

  it('stay within [0, 1] over the last 7 days as the backend serves them, and differ between machines', async () => {
    const backend = new InMemoryMesBackend(world);
    const ids = world.mes.machines.map((m) => m.id);
    const from = new Date(anchor - 7 * 86_400_000).toISOString();
    const [histories, counts] = await Promise.all([backend.getStateHistory(ids, from, world.anchor), backend.getProductionCounts(ids, from, world.anchor)]);
    const values = world.mes.machines.map((machine, i) => oee(machine, histories[i]!, counts[i]!, Date.parse(from), anchor));
    for (const value of values) {
      expect(value.performance).toBeLessThanOrEqual(1);
      expect(value.oee).toBeGreaterThan(0);
      expect(value.oee).toBeLessThanOrEqual(1);
    }
    const spread = Math.max(...values.map((v) => v.oee)) - Math.min(...values.map((v) => v.oee));
    expect(spread).toBeGreaterThan(0.1);
  });
});

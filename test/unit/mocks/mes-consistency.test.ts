import { MACHINE_STATES, type MaterialLotRecord } from '../../../subgraphs/mes/backend/mes-backend';
import { generateWorld } from '../../../mocks/dataset';
import { STOP_REASONS, WORK_CENTERS } from '../../../mocks/dataset/catalog';

const world = generateWorld({ seed: 42, scale: 300 });
const anchor = Date.parse(world.anchor);
const { machines, stateIntervals, productionCounts, workOrders, lots, inspections, nonConformances } = world.mes;
const t = Date.parse;
const DAY = 86_400_000;

const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};
const machineById = new Map(machines.map((m) => [m.id, m]));
const workOrderById = new Map(workOrders.map((wo) => [wo.id, wo]));
const lotByNumber = new Map(lots.map((l) => [l.lotNumber, l]));
const intervalsByMachine = groupBy(stateIntervals, (i) => i.machineId);

describe('machines', () => {
  it('form an ISA-95 hierarchy of four work centers with 2–4 machines each', () => {
    expect(machines.length).toBeLessThanOrEqual(100);
    const perCenter = groupBy(machines, (m) => m.workCenter);
    expect([...perCenter.keys()].sort()).toEqual(WORK_CENTERS.map((c) => c.name).sort());
    for (const group of perCenter.values()) expect(group.length).toBeGreaterThanOrEqual(2);
    for (const group of perCenter.values()) expect(group.length).toBeLessThanOrEqual(4);
    for (const m of machines) {
      expect(m.site).toBeTruthy();
      expect(m.area).toBeTruthy();
      expect(m.idealCycleTimeSeconds).toBeGreaterThan(0);
    }
  });

  it('are each in the state of their last, open interval, and together in every state', () => {
    expect(new Set(machines.map((m) => m.state))).toEqual(new Set(MACHINE_STATES));
    for (const m of machines) {
      const last = intervalsByMachine.get(m.id)!.at(-1)!;
      expect(last.to).toBeNull();
      expect([m.state, m.stateSince, m.reasonCode, m.lossCategory]).toEqual([last.state, last.from, last.reasonCode, last.lossCategory]);
    }
  });

  it('name as current work order only one whose running step is on them', () => {
    for (const m of machines.filter((machine) => machine.currentWorkOrderId !== null)) {
      const wo = workOrderById.get(m.currentWorkOrderId!)!;
      expect(wo.status).toBe('RUNNING');
      expect(wo.operations.find((op) => op.status === 'RUNNING')?.machineId).toBe(m.id);
    }
    expect(machines.some((m) => m.currentWorkOrderId !== null)).toBe(true);
  });
});

describe('state intervals', () => {
  it('are contiguous, non-overlapping and cover at least the 7 days before the anchor', () => {
    for (const m of machines) {
      const intervals = intervalsByMachine.get(m.id)!;
      expect(t(intervals[0]!.from)).toBeLessThanOrEqual(anchor - 7 * DAY);
      intervals.forEach((interval, i) => {
        if (i < intervals.length - 1) {
          expect(interval.to).toBe(intervals[i + 1]!.from);
          expect(t(interval.to!)).toBeGreaterThan(t(interval.from));
          expect(interval.state).not.toBe(intervals[i + 1]!.state);
        }
      });
      expect(t(intervals.at(-1)!.from)).toBeLessThan(anchor);
    }
  });

  it('give a known reason and loss category for every stop, none while running', () => {
    for (const interval of stateIntervals) {
      if (interval.state === 'RUNNING') {
        expect([interval.reasonCode, interval.lossCategory]).toEqual([null, null]);
      } else {
        const known = STOP_REASONS[interval.state].map((r) => [r.reasonCode, r.lossCategory]);
        expect(known).toContainEqual([interval.reasonCode, interval.lossCategory]);
      }
    }
  });
});

describe('production counts', () => {
  it('fall inside a RUNNING interval of their machine and name a work order running there, if any', () => {
    for (const count of productionCounts) {
      const at = t(count.at);
      const interval = intervalsByMachine.get(count.machineId)!.find((i) => t(i.from) < at && at <= (i.to === null ? anchor : t(i.to)));
      expect(interval?.state).toBe('RUNNING');
      expect(Number.isInteger(count.good) && Number.isInteger(count.scrap)).toBe(true);
      expect(count.good + count.scrap).toBeGreaterThan(0);
      if (count.workOrderId !== null) {
        expect(workOrderById.get(count.workOrderId)!.operations.some((op) => op.machineId === count.machineId)).toBe(true);
      }
    }
    expect(productionCounts.some((c) => c.workOrderId !== null)).toBe(true);
  });
});

describe('work order operations', () => {
  it('visit 2–4 distinct work centers on machines of those centers, in time order', () => {
    for (const wo of workOrders) {
      expect(wo.erpReference).toMatch(/^MFG-WO-\d{4}-\d{5}$/);
      expect(wo.operations.length).toBeGreaterThanOrEqual(2);
      expect(wo.operations.length).toBeLessThanOrEqual(4);
      expect(new Set(wo.operations.map((op) => op.workCenter)).size).toBe(wo.operations.length);
      let previousEnd = -Infinity;
      for (const op of wo.operations) {
        expect(machineById.get(op.machineId)?.workCenter).toBe(op.workCenter);
        if (op.status === 'PENDING') expect([op.startedAt, op.endedAt]).toEqual([null, null]);
        if (op.status === 'RUNNING') expect(op.endedAt).toBeNull();
        if (op.startedAt !== null) {
          expect(t(op.startedAt)).toBeGreaterThanOrEqual(previousEnd);
          expect(t(op.startedAt)).toBeLessThan(anchor);
          previousEnd = op.endedAt === null ? Infinity : t(op.endedAt);
          if (op.endedAt !== null) expect(t(op.endedAt)).toBeGreaterThan(t(op.startedAt));
        }
      }
      expect(wo.actualStart).toBe(wo.operations[0]!.startedAt);
      if (wo.status === 'COMPLETED') {
        expect(wo.operations.every((op) => op.status === 'DONE')).toBe(true);
        expect(wo.actualEnd).toBe(wo.operations.at(-1)!.endedAt);
      } else {
        expect(wo.actualEnd).toBeNull();
      }
      if (wo.status === 'RUNNING') expect(wo.operations.filter((op) => op.status === 'RUNNING')).toHaveLength(1);
      expect(t(wo.scheduledEnd)).toBeGreaterThan(t(wo.scheduledStart));
    }
  });
});

describe('lot genealogy', () => {
  const raw = lots.filter((l) => l.producedByWorkOrderId === null);
  const produced = lots.filter((l) => l.producedByWorkOrderId !== null);

  it('has purchased raw-material lots, each consumed by several started work orders', () => {
    expect(raw.length).toBeGreaterThan(0);
    const bySku = groupBy(raw, (l) => l.sku);
    for (const [sku, skuLots] of bySku) {
      expect(sku).toMatch(/^RM-/);
      const consumers = skuLots.reduce((n, l) => n + l.consumedByWorkOrderIds.length, 0);
      for (const lot of skuLots) {
        expect(lot.parentLotNumbers).toEqual([]);
        expect(lot.consumedByWorkOrderIds.length).toBeGreaterThanOrEqual(consumers >= 2 ? 2 : 1);
        for (const id of lot.consumedByWorkOrderIds) {
          const wo = workOrderById.get(id)!;
          expect(wo.actualStart).not.toBeNull();
          expect(t(lot.createdAt)).toBeLessThan(t(wo.actualStart!));
        }
      }
    }
  });

  it('gives every producing work order output lots whose parents are exactly the lots it consumed', () => {
    const consumedBy = new Map<string, string[]>();
    for (const lot of lots) for (const id of lot.consumedByWorkOrderIds) consumedBy.set(id, [...(consumedBy.get(id) ?? []), lot.lotNumber]);
    const outputs = groupBy(produced, (l) => l.producedByWorkOrderId!);
    for (const wo of workOrders) {
      const out: MaterialLotRecord[] = outputs.get(wo.id) ?? [];
      if (wo.quantityGood === 0) {
        expect(out).toEqual([]);
        continue;
      }
      expect(out.length).toBeGreaterThan(0);
      expect(out.reduce((sum, l) => sum + l.quantity, 0)).toBe(wo.quantityGood);
      for (const lot of out) {
        expect(lot.sku).toBe(wo.sku);
        expect([...lot.parentLotNumbers].sort()).toEqual([...(consumedBy.get(wo.id) ?? [])].sort());
        expect(lot.parentLotNumbers.length).toBeGreaterThan(0);
        expect(t(lot.createdAt)).toBeLessThan(anchor);
        // Sync the other way: each parent names this work order as a consumer.
        for (const parent of lot.parentLotNumbers) expect(lotByNumber.get(parent)!.consumedByWorkOrderIds).toContain(wo.id);
      }
    }
  });

  it('numbers lots uniquely', () => {
    expect(new Set(lots.map((l) => l.lotNumber)).size).toBe(lots.length);
    for (const lot of lots) expect(lot.lotNumber).toMatch(/^LOT-(RM|FG)-\d{6}$/);
  });
});

describe('quality', () => {
  it('inspects every producing work order 1–3 times, on its own lots', () => {
    const byWorkOrder = groupBy(inspections, (i) => i.workOrderId);
    for (const wo of workOrders) {
      const count = byWorkOrder.get(wo.id)?.length ?? 0;
      if (wo.quantityGood > 0) {
        expect(count).toBeGreaterThanOrEqual(1);
        expect(count).toBeLessThanOrEqual(3);
      } else expect(count).toBe(0);
    }
    for (const inspection of inspections) {
      if (inspection.lotNumber !== null) {
        const lot = lotByNumber.get(inspection.lotNumber)!;
        expect(lot.producedByWorkOrderId).toBe(inspection.workOrderId);
        expect(t(inspection.inspectedAt)).toBeGreaterThanOrEqual(t(lot.createdAt));
      }
      expect(t(inspection.inspectedAt)).toBeLessThan(anchor);
      const within = inspection.measuredValue >= inspection.lowerLimit && inspection.measuredValue <= inspection.upperLimit;
      expect(inspection.result).toBe(within ? 'PASS' : 'FAIL');
    }
  });

  it('fails a few percent, each failure with a non-conformance linking back', () => {
    const failures = inspections.filter((i) => i.result === 'FAIL');
    expect(failures.length / inspections.length).toBeGreaterThan(0.005);
    expect(failures.length / inspections.length).toBeLessThan(0.1);
    expect(nonConformances).toHaveLength(failures.length);
    const ncById = new Map(nonConformances.map((nc) => [nc.id, nc]));
    for (const inspection of inspections) {
      if (inspection.result === 'PASS') {
        expect(inspection.nonConformanceId).toBeNull();
        continue;
      }
      const nc = ncById.get(inspection.nonConformanceId!)!;
      expect([nc.inspectionId, nc.workOrderId, nc.lotNumber, nc.openedAt]).toEqual([
        inspection.id,
        inspection.workOrderId,
        inspection.lotNumber,
        inspection.inspectedAt,
      ]);
    }
  });
});

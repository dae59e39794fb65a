import type { SalesOrderRecord } from '../../subgraphs/erp/backend/erp-backend';
import type { OperationRecord, WorkOrderRecord, WorkOrderStatus } from '../../subgraphs/mes/backend/mes-backend';
import { WORK_CENTERS } from './catalog';
import { pad, widthFor, YearlySeries } from './ids';
import type { MachineProfile } from './machines';
import type { Random } from './random';
import { DAY, HOUR, isoSeconds as iso, MINUTE, ms } from './time';
import type { ProductPlan } from './world';

/** Sales orders in these states have no production: nothing was confirmed, or it was called off. */
const WITHOUT_PRODUCTION = new Set(['DRAFT', 'CANCELLED']);
const FULFILLED = new Set(['SHIPPED', 'INVOICED', 'CLOSED']);

interface Step {
  center: number;
  machine: MachineProfile;
  /** Expected duration at the machine's real speed, setup included. */
  durationMs: number;
}

export function generateWorkOrders(
  rng: Random,
  anchorMs: number,
  salesOrders: readonly SalesOrderRecord[],
  plans: ReadonlyMap<string, ProductPlan>,
  machines: readonly MachineProfile[],
): WorkOrderRecord[] {
  const byCenter = WORK_CENTERS.map((center) => machines.filter((m) => m.workCenter === center.name));
  const width = widthFor(salesOrders.length * 3, 6);
  const references = new YearlySeries('MFG-WO');
  const numbers = new YearlySeries('WO');
  const workOrders: WorkOrderRecord[] = [];

  for (const order of salesOrders) {
    if (WITHOUT_PRODUCTION.has(order.status)) continue;
    const statuses: WorkOrderStatus[] = order.lines.map(() => statusFor(rng, order.status));
    // An order still in production has at least one work order that is not finished.
    if (order.status === 'IN_PRODUCTION' && !statuses.some((s) => s !== 'COMPLETED')) statuses[statuses.length - 1] = 'RUNNING';

    order.lines.forEach((line, index) => {
      const steps = plans.get(line.sku)!.routing.map((center): Step => {
        const machine = rng.pick(byCenter[center]!);
        const setup = rng.int(20, 60) * MINUTE;
        return { center, machine, durationMs: setup + (line.quantity * machine.idealCycleTimeSeconds * 1000) / machine.speed };
      });
      const createdAt = ms(order.orderedAt) + rng.int(1, 8) * HOUR;
      const status = statuses[index]!;
      workOrders.push({
        id: `WO-${pad(workOrders.length + 1, width)}`,
        erpReference: references.next(createdAt),
        number: numbers.next(createdAt),
        salesOrderId: order.id,
        sku: line.sku,
        quantityPlanned: line.quantity,
        ...quantities(rng, status, line.quantity),
        status,
        ...timeline(rng, status, steps, FULFILLED.has(order.status) ? createdAt : null, anchorMs),
      });
    });
  }
  return workOrders;
}

function statusFor(rng: Random, orderStatus: string): WorkOrderStatus {
  if (FULFILLED.has(orderStatus)) return 'COMPLETED';
  if (orderStatus === 'IN_PRODUCTION') {
    return rng.weighted<WorkOrderStatus>([['RELEASED', 2], ['RUNNING', 3], ['PAUSED', 1], ['COMPLETED', 3]]);
  }
  return rng.chance(0.5) ? 'PLANNED' : 'RELEASED';
}

function quantities(rng: Random, status: WorkOrderStatus, planned: number) {
  if (status === 'COMPLETED') {
    // Plants overproduce slightly to cover scrap, so good output reaches the plan.
    return { quantityGood: planned + Math.floor(planned * rng.float(0, 0.03)), quantityScrap: Math.round(planned * rng.float(0, 0.05)) };
  }
  if (status === 'RUNNING' || status === 'PAUSED') {
    const good = Math.min(planned - 1, Math.max(1, Math.floor(planned * rng.float(0.1, 0.9))));
    return { quantityGood: good, quantityScrap: Math.round(good * rng.float(0, 0.05)) };
  }
  return { quantityGood: 0, quantityScrap: 0 };
}

type Timeline = Pick<WorkOrderRecord, 'scheduledStart' | 'scheduledEnd' | 'actualStart' | 'actualEnd' | 'operations'>;

/**
 * Places the operations in time. Work for fulfilled orders ran soon after the order; everything else is
 * arranged around the anchor: finished a little before it, running across it, or scheduled after it.
 */
function timeline(rng: Random, status: WorkOrderStatus, steps: Step[], historicStart: number | null, anchorMs: number): Timeline {
  const queue = () => rng.int(10, 360) * MINUTE;
  const plannedTotal = steps.reduce((sum, step) => sum + step.durationMs, 0) + steps.length * 3 * HOUR;

  if (status === 'PLANNED' || status === 'RELEASED') {
    const earliest = status === 'RELEASED' ? -1 : 1;
    const scheduledStart = hourOf(anchorMs + rng.float(earliest, 12) * DAY);
    return {
      scheduledStart: iso(scheduledStart),
      scheduledEnd: iso(scheduledStart + plannedTotal),
      actualStart: null,
      actualEnd: null,
      operations: steps.map((step, i) => operation(step, i, 'PENDING', null, null)),
    };
  }

  // Spans of started steps: forwards from a historic start, or backwards from a point before the anchor.
  const running = status === 'RUNNING' ? rng.int(0, steps.length - 1) : -1;
  const done = status === 'COMPLETED' ? steps.length : status === 'PAUSED' ? rng.int(1, steps.length - 1) : running;
  const spans: [number, number | null][] = [];
  if (historicStart !== null) {
    let cursor = historicStart + rng.float(0.5, 4) * DAY;
    for (let i = 0; i < done; i++) {
      const start = cursor + queue();
      spans.push([start, start + steps[i]!.durationMs]);
      cursor = start + steps[i]!.durationMs;
    }
  } else {
    let cursor: number;
    if (running >= 0) {
      const runningStart = anchorMs - rng.float(0.5, 20) * HOUR;
      spans[running] = [runningStart, null];
      cursor = runningStart;
    } else {
      cursor = anchorMs - (status === 'COMPLETED' ? rng.float(1, 144) : rng.float(2, 72)) * HOUR;
    }
    for (let i = done - 1; i >= 0; i--) {
      const end = cursor - queue();
      spans[i] = [end - steps[i]!.durationMs, end];
      cursor = end - steps[i]!.durationMs;
    }
  }

  const actualStart = spans[0]![0];
  const scheduledStart = hourOf(actualStart - rng.float(-6, 12) * HOUR);
  const last = spans[spans.length - 1]!;
  return {
    scheduledStart: iso(scheduledStart),
    scheduledEnd: iso(scheduledStart + plannedTotal),
    actualStart: iso(actualStart),
    actualEnd: status === 'COMPLETED' ? iso(last[1]!) : null,
    operations: steps.map((step, i) => {
      const span = spans[i];
      if (!span) return operation(step, i, 'PENDING', null, null);
      return operation(step, i, span[1] === null ? 'RUNNING' : 'DONE', span[0], span[1]);
    }),
  };
}

const hourOf = (value: number) => Math.floor(value / HOUR) * HOUR;

function operation(step: Step, index: number, status: OperationRecord['status'], start: number | null, end: number | null): OperationRecord {
  return {
    sequence: (index + 1) * 10,
    name: WORK_CENTERS[step.center]!.operation,
    workCenter: step.machine.workCenter,
    machineId: step.machine.id,
    status,
    startedAt: start === null ? null : iso(start),
    endedAt: end === null ? null : iso(end),
  };
}

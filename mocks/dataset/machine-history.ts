import {
  MACHINE_STATES,
  type MachineRecord,
  type MachineState,
  type ProductionCountRecord,
  type StateIntervalRecord,
  type WorkOrderRecord,
} from '../../subgraphs/mes/backend/mes-backend';
import { STOP_REASONS } from './catalog';
import type { MachineProfile } from './machines';
import type { Random } from './random';
import { DAY, HOUR, iso, MINUTE, ms } from './time';

/** History starts this long before the anchor (plus a few hours), so any 7-day OEE window is covered. */
export const MACHINE_HISTORY_DAYS = 7;
/** Machines report counters on this period while running, like a PLC polled by the MES. */
export const COUNT_PERIOD_MS = 15 * MINUTE;
/** States a machine can hold while still assigned to a work order. */
export const ATTACHED_STATES = new Set<MachineState>(['RUNNING', 'SETUP', 'DOWN']);

const DURATION_MINUTES: Record<MachineState, readonly [number, number]> = {
  RUNNING: [40, 300],
  IDLE: [5, 45],
  SETUP: [15, 60],
  DOWN: [10, 150],
  MAINTENANCE: [60, 240],
  OFFLINE: [120, 480],
};

export interface MachineHistory {
  machines: MachineRecord[];
  stateIntervals: StateIntervalRecord[];
  productionCounts: ProductionCountRecord[];
}

export function generateMachineHistory(
  rng: Random,
  anchorMs: number,
  profiles: readonly MachineProfile[],
  workOrders: readonly WorkOrderRecord[],
): MachineHistory {
  const spans = operationSpansByMachine(workOrders, anchorMs);
  // Every state is somebody's current state, so filters and dashboards have something to show.
  const forced = new Map(rng.shuffle(profiles).slice(0, MACHINE_STATES.length).map((p, i) => [p.id, MACHINE_STATES[i]!]));
  const result: MachineHistory = { machines: [], stateIntervals: [], productionCounts: [] };

  for (const profile of profiles) {
    const machineSpans = spans.get(profile.id) ?? [];
    const runningWorkOrder = machineSpans.find((span) => span.open)?.workOrderId ?? null;
    const finalState = forced.get(profile.id) ?? currentStateFor(rng, runningWorkOrder !== null);
    const intervals = stateIntervals(rng, anchorMs, profile, finalState);
    const workOrderAt = attribution(machineSpans);
    for (const interval of intervals) {
      if (interval.state === 'RUNNING') result.productionCounts.push(...counts(rng, anchorMs, profile, interval, workOrderAt));
    }
    result.stateIntervals.push(...intervals);

    const current = intervals[intervals.length - 1]!;
    result.machines.push({
      id: profile.id,
      name: profile.name,
      site: profile.site,
      area: profile.area,
      workCenter: profile.workCenter,
      idealCycleTimeSeconds: profile.idealCycleTimeSeconds,
      state: current.state,
      stateSince: current.from,
      reasonCode: current.reasonCode,
      lossCategory: current.lossCategory,
      currentWorkOrderId: ATTACHED_STATES.has(current.state) ? runningWorkOrder : null,
    });
  }
  return result;
}

function currentStateFor(rng: Random, hasRunningOperation: boolean): MachineState {
  if (hasRunningOperation && rng.chance(0.8)) return 'RUNNING';
  return rng.weighted<MachineState>([['RUNNING', 5], ['IDLE', 2], ['SETUP', 1], ['DOWN', 1], ['MAINTENANCE', 0.5], ['OFFLINE', 0.5]]);
}

function nextState(rng: Random, state: MachineState, reliability: number): MachineState {
  if (state === 'SETUP') return 'RUNNING';
  if (state !== 'RUNNING') return rng.chance(0.25) ? 'SETUP' : 'RUNNING';
  const failures = 3 * (1.5 - reliability);
  return rng.weighted<MachineState>([['IDLE', 4], ['SETUP', 3], ['DOWN', failures], ['MAINTENANCE', 0.6], ['OFFLINE', 1]]);
}

/** Contiguous intervals from the history start to the anchor; the last one is open and holds `finalState`. */
function stateIntervals(rng: Random, anchorMs: number, profile: MachineProfile, finalState: MachineState): StateIntervalRecord[] {
  const intervals: StateIntervalRecord[] = [];
  let cursor = Math.floor((anchorMs - MACHINE_HISTORY_DAYS * DAY - rng.float(2, 12) * HOUR) / MINUTE) * MINUTE;
  let state: MachineState = 'RUNNING';
  for (;;) {
    const [min, max] = DURATION_MINUTES[state];
    const stretch = state === 'RUNNING' ? 0.5 + profile.reliability / 2 : 1;
    const duration = Math.round(rng.int(min, max) * stretch) * MINUTE;
    if (cursor + duration >= anchorMs) break;
    intervals.push(interval(rng, profile.id, state, cursor, cursor + duration));
    cursor += duration;
    state = nextState(rng, state, profile.reliability);
  }
  // The state the machine is in now continues the previous interval when they match, instead of repeating it.
  const previous = intervals[intervals.length - 1];
  if (previous && previous.state === finalState) {
    intervals.pop();
    cursor = ms(previous.from);
  }
  intervals.push(interval(rng, profile.id, finalState, cursor, null));
  return intervals;
}

function interval(rng: Random, machineId: string, state: MachineState, from: number, to: number | null): StateIntervalRecord {
  const reason = state === 'RUNNING' ? null : rng.weighted(STOP_REASONS[state].map((r) => [r, r.weight] as const));
  return {
    machineId,
    state,
    reasonCode: reason?.reasonCode ?? null,
    lossCategory: reason?.lossCategory ?? null,
    from: iso(from),
    to: to === null ? null : iso(to),
  };
}

/**
 * Counter readings at the end of each period of a RUNNING interval. A period never yields more units than
 * its length allows at the ideal cycle time, so performance (and with it OEE) stays at or below 1.
 */
function counts(
  rng: Random,
  anchorMs: number,
  profile: MachineProfile,
  running: StateIntervalRecord,
  workOrderAt: (at: number) => string | null,
): ProductionCountRecord[] {
  const start = ms(running.from);
  const end = running.to === null ? anchorMs : ms(running.to);
  const readings: ProductionCountRecord[] = [];
  for (let periodStart = start; periodStart < end; periodStart += COUNT_PERIOD_MS) {
    const periodEnd = Math.min(periodStart + COUNT_PERIOD_MS, end);
    // The open interval reports only completed periods: the next reading is still in the future.
    if (running.to === null && periodEnd - periodStart < COUNT_PERIOD_MS) break;
    const speed = Math.min(1, profile.speed * rng.float(0.95, 1.05));
    const total = Math.floor(((periodEnd - periodStart) / 1000) * speed / profile.idealCycleTimeSeconds);
    if (total === 0) continue;
    const scrap = Math.min(total, Math.floor(total * profile.scrapRate * rng.float(0.5, 1.5) + rng.next()));
    readings.push({ machineId: profile.id, workOrderId: workOrderAt(periodEnd), at: iso(periodEnd), good: total - scrap, scrap });
  }
  return readings;
}

interface OperationSpan {
  workOrderId: string;
  start: number;
  end: number;
  open: boolean;
}

function operationSpansByMachine(workOrders: readonly WorkOrderRecord[], anchorMs: number): Map<string, OperationSpan[]> {
  const byMachine = new Map<string, OperationSpan[]>();
  for (const workOrder of workOrders) {
    for (const operation of workOrder.operations) {
      if (operation.startedAt === null) continue;
      const span = {
        workOrderId: workOrder.id,
        start: ms(operation.startedAt),
        end: operation.endedAt === null ? anchorMs : ms(operation.endedAt),
        open: operation.status === 'RUNNING',
      };
      const list = byMachine.get(operation.machineId) ?? [];
      list.push(span);
      byMachine.set(operation.machineId, list);
    }
  }
  for (const list of byMachine.values()) list.sort((a, b) => a.start - b.start);
  return byMachine;
}

/**
 * Which work order a reading belongs to: the latest-started operation on the machine covering that instant.
 * Readings arrive in time order, so one sweep over the sorted spans serves a whole machine.
 */
function attribution(spans: readonly OperationSpan[]): (at: number) => string | null {
  let next = 0;
  let active: OperationSpan[] = [];
  return (at) => {
    while (next < spans.length && spans[next]!.start < at) active.push(spans[next++]!);
    active = active.filter((span) => span.end >= at);
    return active.length > 0 ? active[active.length - 1]!.workOrderId : null;
  };
}

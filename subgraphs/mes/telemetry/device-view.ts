import type { MachineStateChangeRequest } from '../equipment/change-machine-state';
import type { LossCategory, MachineState } from '../backend/mes-backend';
import { METRIC, parseCounter, parseLossCategory, parseMachineState, parseReasonCode, UNASSIGNED_REASON } from './machine-metrics';
import type { MetricValue } from './sparkplug-codec';

/** What the host last heard from one device: DATA messages carry changes only, so they are read against this. */
export interface DeviceView {
  state: MachineState | null;
  reasonCode: string | null;
  lossCategory: LossCategory | null;
  /** Last counter readings; kept across rebirths so parts made while the host was not listening still count. */
  good: number | null;
  total: number | null;
}

export interface DeviceUpdate {
  view: DeviceView;
  /** null when the message says nothing about the state (or nothing readable). */
  stateChange: MachineStateChangeRequest | null;
  /** Parts counted since the previous reading; null when none. */
  count: { good: number; scrap: number } | null;
  /** Metric values that could not be read, e.g. `Machine/State = "Dancing"`: logged, the rest still applies. */
  problems: string[];
}

const EMPTY: DeviceView = { state: null, reasonCode: null, lossCategory: null, good: null, total: null };

/**
 * Reads one device message against the previous view. Reason and loss category belong to the state they came
 * with: a new state without a reason does not inherit the old state's reason. A BIRTH replaces the state part of
 * the view entirely; counters compare with the last reading whatever the message type (a lower reading is a
 * counter reset: new baseline, nothing counted).
 */
export function readDeviceMetrics(
  machineId: string,
  previous: DeviceView | undefined,
  birth: boolean,
  metrics: ReadonlyMap<string, MetricValue>,
): DeviceUpdate {
  const before = previous ?? EMPTY;
  const problems: string[] = [];
  const read = <T>(name: string, parse: (v: MetricValue) => T | null): T | null | undefined => {
    if (!metrics.has(name)) return undefined;
    const raw = metrics.get(name)!;
    const parsed = parse(raw);
    if (parsed === null && raw !== null && raw !== '') problems.push(`${name} = ${JSON.stringify(raw)} is not understood`);
    return parsed;
  };

  const state = read(METRIC.state, parseMachineState);
  const reasonCode = read(METRIC.reasonCode, parseReasonCode);
  const lossCategory = read(METRIC.lossCategory, parseLossCategory);
  const stateBase = birth ? EMPTY : before;
  const newState = state ?? stateBase.state;
  const stateMoved = newState !== stateBase.state;
  const view: DeviceView = {
    state: newState,
    reasonCode: reasonCode !== undefined ? reasonCode : stateMoved ? null : stateBase.reasonCode,
    lossCategory: lossCategory !== undefined ? lossCategory : stateMoved ? null : stateBase.lossCategory,
    good: before.good,
    total: before.total,
  };

  const good = read(METRIC.good, parseCounter);
  const total = read(METRIC.total, parseCounter);
  const goodDelta = delta(before.good, good);
  const totalDelta = delta(before.total, total);
  if (good != null) view.good = good;
  if (total != null) view.total = total;
  // Total includes good parts: what it grew by beyond the good ones is scrap.
  const scrap = Math.max(0, totalDelta - goodDelta);
  const count = goodDelta > 0 || scrap > 0 ? { good: goodDelta, scrap } : null;

  const mentionsState = state != null || reasonCode !== undefined || lossCategory !== undefined;
  return { view, stateChange: mentionsState && view.state !== null ? changeRequest(machineId, view) : null, count, problems };
}

function delta(previous: number | null, reading: number | null | undefined): number {
  if (reading == null || previous === null || reading < previous) return 0;
  return reading - previous;
}

/** RUNNING carries no stop reason; other stops need one for changeMachineState, OFFLINE does not. */
function changeRequest(machineId: string, view: DeviceView): MachineStateChangeRequest {
  const state = view.state!;
  if (state === 'RUNNING') return { machineId, state, reasonCode: null, lossCategory: null };
  const reasonCode = view.reasonCode ?? (state === 'OFFLINE' ? null : UNASSIGNED_REASON);
  return { machineId, state, reasonCode, lossCategory: view.lossCategory };
}

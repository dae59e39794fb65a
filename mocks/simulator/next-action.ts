import type { LossCategory, MachineState, WorkOrderRecord } from '../../subgraphs/mes/backend/mes-backend';
import { reportingMachine } from '../../subgraphs/mes/production/report-production';
import type { Random } from '../dataset/random';
import { LEAVE_RATE, nextState, stopCauseFor } from './machine-transitions';
import type { ShopFloorSnapshot } from './shop-floor';

/** One simulated shop-floor event, as the simulator decided it (before the MES accepted or refused it). */
export type SimulatedAction =
  | {
      kind: 'change-state';
      machineId: string;
      /** The state the machine was in when the action was chosen. */
      from: MachineState;
      state: MachineState;
      reasonCode: string | null;
      lossCategory: LossCategory | null;
    }
  | { kind: 'report-production'; workOrderId: string; good: number; scrap: number; idempotencyKey: string }
  | { kind: 'release'; workOrderId: string };

export type SimulatedActionKind = SimulatedAction['kind'];

/**
 * Relative weights of the action kinds. Reports outnumber state changes, as on a real floor where counters tick
 * far more often than machines stop. Releases are rare, but become likely when little work is left on the floor
 * (fewer open work orders than machines), so production reports do not run dry.
 */
export const ACTION_WEIGHTS = {
  changeState: 1,
  /** Reports on work whose current step sits on a RUNNING machine. */
  report: 2,
  /** Reports on other open work, used only when no machine is producing anything. */
  reportElsewhere: 0.5,
  release: 0.05,
  releaseWhenShort: 1.5,
} as const;

/** Largest good count in one report: a handful of parts, like a PLC counter polled every few seconds. */
export const MAX_GOOD_PER_REPORT = 6;
export const SCRAP_CHANCE = 0.12;

/**
 * Pure and seeded: the same generator state and the same snapshot give the same action. Returns null only when
 * nothing at all can happen (no machines and no work). `idempotencyKey` is used when the action is a report.
 */
export function chooseNextAction(rng: Random, floor: ShopFloorSnapshot, idempotencyKey: string): SimulatedAction | null {
  const running = new Set(floor.machines.filter((m) => m.state === 'RUNNING').map((m) => m.id));
  const producing = floor.reportable.filter((wo) => running.has(reportingMachine(wo) ?? ''));
  const reportTargets = producing.length > 0 ? producing : floor.reportable;

  const weights: (readonly [SimulatedActionKind, number])[] = [
    ['change-state', floor.machines.length > 0 ? ACTION_WEIGHTS.changeState : 0],
    ['report-production', producing.length > 0 ? ACTION_WEIGHTS.report : reportTargets.length > 0 ? ACTION_WEIGHTS.reportElsewhere : 0],
    ['release', releaseWeight(floor)],
  ];
  if (weights.every(([, weight]) => weight === 0)) return null;

  switch (rng.weighted(weights)) {
    case 'change-state':
      return chooseStateChange(rng, floor);
    case 'report-production':
      return chooseReport(rng, rng.pick(reportTargets), idempotencyKey);
    case 'release':
      return { kind: 'release', workOrderId: floor.nextPlanned!.id };
  }
}

function releaseWeight(floor: ShopFloorSnapshot): number {
  if (floor.nextPlanned === null) return 0;
  return floor.reportableCount < Math.max(1, floor.machines.length) ? ACTION_WEIGHTS.releaseWhenShort : ACTION_WEIGHTS.release;
}

/** The machine is picked in proportion to how fast its state ends (LEAVE_RATE), then moves along the chain. */
function chooseStateChange(rng: Random, floor: ShopFloorSnapshot): SimulatedAction {
  const machine = rng.weighted(floor.machines.map((m) => [m, LEAVE_RATE[m.state]] as const));
  const state = nextState(rng, machine.state);
  return { kind: 'change-state', machineId: machine.id, from: machine.state, state, ...stopCauseFor(rng, state, machine) };
}

/** A few good parts, never more than the plan still needs (the last report completes the work order), some scrap. */
function chooseReport(rng: Random, workOrder: WorkOrderRecord, idempotencyKey: string): SimulatedAction {
  const remaining = workOrder.quantityPlanned - workOrder.quantityGood;
  const good = Math.max(1, Math.min(remaining, rng.int(1, MAX_GOOD_PER_REPORT)));
  const scrap = rng.chance(SCRAP_CHANCE) ? rng.int(1, 2) : 0;
  return { kind: 'report-production', workOrderId: workOrder.id, good, scrap, idempotencyKey };
}

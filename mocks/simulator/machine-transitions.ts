import type { LossCategory, MachineRecord, MachineState } from '../../subgraphs/mes/backend/mes-backend';
import { STOP_REASONS } from '../dataset/catalog';
import type { Random } from '../dataset/random';

/**
 * The simulated machine life cycle as a continuous-time Markov chain: which states a machine may move to from
 * each state (relative weights, never a self-loop, so every change is a real one), and how fast it leaves each
 * state. PackML reading (domain-facts.md): RUNNING = Execute, IDLE = Idle/Complete, SETUP = Starting or a
 * changeover, DOWN = Held/Aborted, MAINTENANCE = maintenance mode, OFFLINE = Stopped.
 */
export const NEXT_STATES: Readonly<Record<MachineState, readonly (readonly [MachineState, number])[]>> = {
  // A running machine mostly pauses briefly or changes over; breakdowns are rarer, going offline rarer still.
  RUNNING: [['IDLE', 4], ['SETUP', 3], ['DOWN', 2], ['MAINTENANCE', 0.5], ['OFFLINE', 0.2]],
  IDLE: [['RUNNING', 6], ['SETUP', 3], ['MAINTENANCE', 0.5], ['OFFLINE', 0.3]],
  // A changeover ends in production, unless the first parts reveal a fault.
  SETUP: [['RUNNING', 9], ['DOWN', 1]],
  // Fixed on the spot by the operator, or handed over to maintenance.
  DOWN: [['RUNNING', 5], ['MAINTENANCE', 2]],
  MAINTENANCE: [['RUNNING', 2], ['SETUP', 2], ['IDLE', 1]],
  // Coming back from a stop (unstaffed shift, power cut) means starting up first.
  OFFLINE: [['IDLE', 2], ['SETUP', 2], ['RUNNING', 1]],
};

/**
 * How eagerly a machine leaves each state (1 / mean dwell time, RUNNING = 1), mirroring the dwell times of the
 * seeded history (mocks/dataset/machine-history.ts). The simulator picks the machine to change in proportion to
 * this rate, so time shares follow dwell times: machines run most of the time and stops are short, instead of
 * every state getting an equal share of the clock.
 */
export const LEAVE_RATE: Readonly<Record<MachineState, number>> = {
  RUNNING: 1,
  IDLE: 6.8,
  SETUP: 4.6,
  DOWN: 2.1,
  MAINTENANCE: 1.1,
  OFFLINE: 0.6,
};

/** True when the simulator's chain allows `from` → `to` (what tests hold every emitted event to). */
export function isSimulatedTransition(from: MachineState, to: MachineState): boolean {
  return NEXT_STATES[from].some(([state]) => state === to);
}

export function nextState(rng: Random, from: MachineState): MachineState {
  return rng.weighted(NEXT_STATES[from]);
}

export interface StopCause {
  reasonCode: string | null;
  lossCategory: LossCategory | null;
}

/** The IDLE reason that only makes sense for a machine without a job. */
const NO_WORK_ORDER = 'No work order';

/**
 * Why the machine entered `state`: RUNNING has no reason; every other state draws from the dataset's stop-reason
 * catalog (ERPNext stop reasons plus the plant's planned ones), with the loss category that reason belongs to,
 * so OEE treats simulated stops exactly like seeded ones.
 */
export function stopCauseFor(rng: Random, state: MachineState, machine: Pick<MachineRecord, 'currentWorkOrderId'>): StopCause {
  if (state === 'RUNNING') return { reasonCode: null, lossCategory: null };
  const all = STOP_REASONS[state];
  const fitting = machine.currentWorkOrderId === null ? all : all.filter((reason) => reason.reasonCode !== NO_WORK_ORDER);
  const reason = rng.weighted((fitting.length > 0 ? fitting : all).map((r) => [r, r.weight] as const));
  return { reasonCode: reason.reasonCode, lossCategory: reason.lossCategory };
}

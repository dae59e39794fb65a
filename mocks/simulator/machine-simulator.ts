import type { Clock } from '../../subgraphs/common/clock';
import type { MesBackend } from '../../subgraphs/mes/backend/mes-backend';
import { createMesContext, type MesContext } from '../../subgraphs/mes/context';
import { changeMachineState } from '../../subgraphs/mes/equipment/change-machine-state';
import type { EventBus } from '../../subgraphs/mes/events/event-bus';
import { releaseWorkOrder } from '../../subgraphs/mes/production/release-work-order';
import { reportProduction } from '../../subgraphs/mes/production/report-production';
import { streamFor } from '../dataset/random';
import { chooseNextAction, type SimulatedAction } from './next-action';
import { startPacer } from './pacer';
import { readShopFloor, type ShopFloorSnapshot } from './shop-floor';

export type { SimulatedAction } from './next-action';

export interface MachineSimulatorOptions {
  /** Same seed and same backend state → same sequence of actions. */
  seed: number;
  /** Simulated actions per second (state change, production report or release); 0 turns the simulator off. */
  ratePerSecond: number;
  backend: MesBackend;
  events: EventBus;
  clock: Clock;
  /** Called for every action the MES refused or that failed; the simulator carries on. */
  onError?(error: unknown): void;
  /** How state changes reach the MES; absent: in process, through changeMachineState. */
  transport?: SimulatorTransport;
}

type StateChangeAction = Extract<SimulatedAction, { kind: 'change-state' }>;

/**
 * The path shop-floor telemetry takes to the MES (see mqtt-transport.ts). Work-order actions (reports, releases)
 * are MES transactions and always run in process.
 */
export interface SimulatorTransport {
  /** Carries a chosen state change to the MES. */
  changeState(action: StateChangeAction): Promise<void>;
  /** The floor as the machines themselves know it: a transport may be ahead of what the MES has applied. */
  observe?(floor: ShopFloorSnapshot): ShopFloorSnapshot;
  /** Parts reported in process on a machine (its counters advance). */
  partsMade?(machineId: string, good: number, scrap: number): Promise<void>;
}

export interface MachineSimulator {
  /** Stops the timer and resolves once the action in flight (if any) has finished. Idempotent. */
  stop(): Promise<void>;
  /** Actions chosen and handed to the MES so far, refused ones included. */
  actions(): number;
}

/** The simulator without a timer: each `step()` performs one action. Tests drive it directly. */
export interface MachineSimulation {
  /**
   * Reads the shop floor, chooses one action and performs it. Never rejects: a failure goes to onError and the
   * action is still returned (null when nothing could be chosen). Concurrent calls run one after another.
   */
  step(): Promise<SimulatedAction | null>;
  actions(): number;
}

export function createMachineSimulation(options: Omit<MachineSimulatorOptions, 'ratePerSecond'>): MachineSimulation {
  const { seed, backend, events, clock } = options;
  // Its own stream of the seed, so the simulator's draws never correlate with the dataset generated from it.
  const rng = streamFor(seed, 'machine-simulator');
  let count = 0;
  let last: Promise<unknown> = Promise.resolve();

  const reportError = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // A throwing error handler must not stop the shop floor either.
    }
  };

  const runOne = async (): Promise<SimulatedAction | null> => {
    let action: SimulatedAction | null = null;
    try {
      const read = await readShopFloor(backend);
      const floor = options.transport?.observe?.(read) ?? read;
      // Keys follow the action number, so they are unique within a run and identical across same-seed runs.
      action = chooseNextAction(rng, floor, `sim-${seed}-${count + 1}`);
      if (action === null) return null;
      count += 1;
      // A fresh context per action, as per request: loaders must not serve a machine state from an earlier action.
      await perform(createMesContext(backend, clock, events), action, options.transport);
    } catch (error) {
      reportError(error);
    }
    return action;
  };

  return {
    step() {
      const result = last.then(runOne);
      last = result;
      return result;
    },
    actions: () => count,
  };
}

/**
 * Starts the simulator inside the MES process. It writes through the same functions as the GraphQL mutations and
 * telemetry ingest, so subscribers of `machineStatusChanged` and `productionEvents` cannot tell it from a real
 * shop floor.
 */
export function startMachineSimulator(options: MachineSimulatorOptions): MachineSimulator {
  const { ratePerSecond } = options;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond < 0) {
    throw new RangeError(`ratePerSecond must be a finite number >= 0, got ${ratePerSecond}`);
  }
  if (ratePerSecond === 0) return { stop: async () => undefined, actions: () => 0 };

  const simulation = createMachineSimulation(options);
  const pacer = startPacer(ratePerSecond, () => simulation.step());
  return { stop: () => pacer.stop(), actions: simulation.actions };
}

/** Each action goes through the MES write path that a mutation or telemetry message would take. */
async function perform(ctx: MesContext, action: SimulatedAction, transport?: SimulatorTransport): Promise<void> {
  switch (action.kind) {
    case 'change-state':
      if (transport) return transport.changeState(action);
      await changeMachineState(ctx, {
        machineId: action.machineId,
        state: action.state,
        reasonCode: action.reasonCode,
        lossCategory: action.lossCategory,
      });
      return;
    case 'report-production': {
      const { report, duplicate } = await reportProduction(ctx, {
        workOrderId: action.workOrderId,
        good: action.good,
        scrap: action.scrap,
        idempotencyKey: action.idempotencyKey,
      });
      if (!duplicate && report.machineId && transport?.partsMade) await transport.partsMade(report.machineId, report.good, report.scrap);
      return;
    }
    case 'release':
      await releaseWorkOrder(ctx, action.workOrderId);
      return;
  }
}

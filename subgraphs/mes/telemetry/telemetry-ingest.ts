import type { Clock } from '../../common/clock';
import type { MesBackend } from '../backend/mes-backend';
import { createMesContext, type MesContext } from '../context';
import { changeMachineState, type MachineStateChangeRequest } from '../equipment/change-machine-state';
import type { EventBus } from '../events/event-bus';
import { readDeviceMetrics, type DeviceView } from './device-view';
import { EdgeNodeSessions, type SessionDecision } from './edge-node-sessions';
import { METRIC } from './machine-metrics';
import { decodePayload, encodePayload, MalformedPayload, type DecodedPayload } from './sparkplug-codec';
import { formatTopic, parseTopic } from './sparkplug-topic';

export interface TelemetryLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface TelemetryIngestOptions {
  backend: MesBackend;
  clock: Clock;
  events: EventBus;
  /** Sends a command to an edge node (NCMD). Failures are logged; the next gap asks again. */
  publish(topic: string, payload: Buffer): Promise<void>;
  logger?: TelemetryLogger;
  /** Wall clock for rebirth throttling (tests inject one). */
  now?: () => number;
}

/** Running totals, for logs and tests: what arrived and what became of it. */
export interface TelemetryStats {
  messages: number;
  malformed: number;
  ignored: Record<string, number>;
  rebirthsRequested: number;
  stateChanges: number;
  productionCounts: number;
  unknownMachines: number;
  failures: number;
}

export interface TelemetryIngest {
  /** Handles one MQTT message. Messages are applied one at a time, in call order; never rejects. */
  handle(topic: string, payload: Uint8Array): Promise<void>;
  /** After the host's MQTT session was interrupted: asks every known node to rebirth. */
  rebirthAll(): Promise<void>;
  /** Resolves once every message handed over so far is applied. */
  idle(): Promise<void>;
  stats(): TelemetryStats;
}

/**
 * Sparkplug B → MES: decodes, applies the session rules (EdgeNodeSessions), and writes through the same paths
 * as mutations and the simulator: `changeMachineState` (hence `machineStatusChanged` events) and
 * `backend.recordProductionCount`. Each message gets a fresh MES context, as a request would.
 */
export function createTelemetryIngest(options: TelemetryIngestOptions): TelemetryIngest {
  const { backend, clock, events, logger } = options;
  const sessions = new EdgeNodeSessions(options.now);
  const devices = new Map<string, DeviceView>();
  const reportedUnknown = new Set<string>();
  const stats: TelemetryStats = {
    messages: 0,
    malformed: 0,
    ignored: {},
    rebirthsRequested: 0,
    stateChanges: 0,
    productionCounts: 0,
    unknownMachines: 0,
    failures: 0,
  };
  // One chain: Sparkplug meaning depends on order (BIRTH before DATA, seq), so no message overtakes another.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    const next = chain.then(work).catch((error: unknown) => {
      stats.failures += 1;
      logger?.warn({ err: error }, 'telemetry: message could not be applied');
    });
    chain = next;
    return next;
  };

  const apply = async (decision: SessionDecision): Promise<void> => {
    switch (decision.kind) {
      case 'ignored':
        stats.ignored[decision.reason] = (stats.ignored[decision.reason] ?? 0) + 1;
        return;
      case 'rebirth':
        return requestRebirth(decision.group, decision.edgeNode, decision.reason);
      case 'offline':
        for (const machineId of decision.machineIds) {
          const view = devices.get(machineId);
          if (view) devices.set(machineId, { ...view, state: 'OFFLINE', reasonCode: null, lossCategory: null });
          await writeState(createMesContext(backend, clock, events), { machineId, state: 'OFFLINE', reasonCode: null, lossCategory: null });
        }
        return;
      case 'device':
        return applyDevice(decision.machineId, decision.birth, decision.metrics);
    }
  };

  const requestRebirth = async (group: string, edgeNode: string, reason: string) => {
    stats.rebirthsRequested += 1;
    logger?.info({ group, edgeNode, reason }, 'telemetry: asking edge node to rebirth');
    const payload = encodePayload({ metrics: [{ name: METRIC.rebirth, type: 'Boolean', value: true }] });
    try {
      await options.publish(formatTopic({ group, type: 'NCMD', edgeNode, device: null }), payload);
    } catch (error) {
      logger?.warn({ err: error, group, edgeNode }, 'telemetry: rebirth request not sent');
    }
  };

  const applyDevice = async (machineId: string, birth: boolean, metrics: Parameters<typeof readDeviceMetrics>[3]) => {
    const ctx = createMesContext(backend, clock, events);
    if (!(await knownMachine(ctx, machineId))) return;
    const update = readDeviceMetrics(machineId, devices.get(machineId), birth, metrics);
    devices.set(machineId, update.view);
    if (update.problems.length > 0) logger?.warn({ machineId, problems: update.problems }, 'telemetry: unreadable metrics');
    if (update.count) {
      // Counted before the state change: the parts were made in the state the machine is leaving.
      const machine = await ctx.loaders.machine.load(machineId);
      await backend.recordProductionCount({
        machineId,
        workOrderId: machine?.currentWorkOrderId ?? null,
        at: ctx.clock().toISOString(),
        ...update.count,
      });
      stats.productionCounts += 1;
    }
    if (update.stateChange) await writeState(ctx, update.stateChange);
  };

  const writeState = async (ctx: MesContext, request: MachineStateChangeRequest) => {
    const before = await ctx.loaders.machine.load(request.machineId);
    if (!before) return void (await knownMachine(ctx, request.machineId));
    const after = await changeMachineState(ctx, request);
    if (before.state !== after.state || before.reasonCode !== after.reasonCode) stats.stateChanges += 1;
  };

  const knownMachine = async (ctx: MesContext, machineId: string): Promise<boolean> => {
    if (await ctx.loaders.machine.load(machineId)) return true;
    stats.unknownMachines += 1;
    // Once per device id: a misconfigured device publishing every second must not flood the log.
    if (!reportedUnknown.has(machineId)) {
      reportedUnknown.add(machineId);
      logger?.warn({ machineId }, 'telemetry: device id is not a known machine; its messages are ignored');
    }
    return false;
  };

  return {
    handle(topicText, bytes) {
      return enqueue(async () => {
        stats.messages += 1;
        const topic = parseTopic(topicText);
        let payload: DecodedPayload;
        try {
          if (!topic) throw new MalformedPayload(`not a Sparkplug B edge topic`);
          payload = decodePayload(bytes);
        } catch (error) {
          stats.malformed += 1;
          logger?.warn({ topic: topicText, err: error }, 'telemetry: malformed message ignored');
          return;
        }
        for (const decision of sessions.accept(topic!, payload)) await apply(decision);
      });
    },
    rebirthAll() {
      return enqueue(async () => {
        for (const decision of sessions.rebirthAll()) await apply(decision);
      });
    },
    idle: () => chain,
    stats: () => ({ ...stats, ignored: { ...stats.ignored } }),
  };
}

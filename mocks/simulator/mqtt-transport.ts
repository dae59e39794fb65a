import type { MesBackend } from '../../subgraphs/mes/backend/mes-backend';
import type { SimulatorTransport } from './machine-simulator';
import { SparkplugEdgeNode } from './sparkplug-edge-node';

export interface MqttSimulatorTransportOptions {
  url: string;
  group: string;
  /** The simulator is one edge node for the whole plant: one MQTT session, one will covering every machine. */
  edgeNode: string;
  /** Read once at start: the devices' initial states are the MES's, so the births change nothing. */
  backend: MesBackend;
  logger?: { warn(details: object, message: string): void };
}

export interface MqttSimulatorTransport extends SimulatorTransport {
  /** Publishes the node's death and disconnects. */
  stop(): Promise<void>;
}

/**
 * SIMULATOR_TRANSPORT=mqtt: machine state changes travel as Sparkplug B over the broker, and the
 * MES learns them through its telemetry ingest like any real edge node's. The edge node's view of each machine
 * leads the MES's (ingest is asynchronous), so the simulator chooses its next action from the edge node's view.
 */
export async function startMqttSimulatorTransport(options: MqttSimulatorTransportOptions): Promise<MqttSimulatorTransport> {
  const machines = (await options.backend.listMachines({}, { offset: 0, limit: 1_000 })).items;
  const node = await SparkplugEdgeNode.start({
    url: options.url,
    group: options.group,
    edgeNode: options.edgeNode,
    devices: machines.map(({ id, state, reasonCode, lossCategory }) => ({ id, state, reasonCode, lossCategory })),
    logger: options.logger,
  });
  return {
    changeState: (action) => node.setState(action.machineId, action.state, action.reasonCode, action.lossCategory),
    observe: (floor) => ({
      ...floor,
      machines: floor.machines.map((machine) => {
        const device = node.stateOf(machine.id);
        return device ? { ...machine, state: device.state, reasonCode: device.reasonCode, lossCategory: device.lossCategory } : machine;
      }),
    }),
    // No `partsMade`: each simulated report is already booked as a machine count by the MES (reportProduction),
    // so publishing the same parts as Counts/* telemetry would count them twice. Devices' counters are exercised
    // by the telemetry tests, which publish them as a real machine would.
    stop: () => node.stop(),
  };
}

import mqtt, { type MqttClient } from 'mqtt';
import type { LossCategory, MachineState } from '../../subgraphs/mes/backend/mes-backend';
import { METRIC } from '../../subgraphs/mes/telemetry/machine-metrics';
import { decodePayload, encodePayload, type OutgoingMetric } from '../../subgraphs/mes/telemetry/sparkplug-codec';
import { formatTopic, type MessageType } from '../../subgraphs/mes/telemetry/sparkplug-topic';

/** One machine as its PLC knows it: state and cumulative counters (the device id is the machine id). */
export interface DeviceState {
  id: string;
  state: MachineState;
  reasonCode: string | null;
  lossCategory: LossCategory | null;
  good: number;
  total: number;
}

export interface EdgeNodeOptions {
  url: string;
  group: string;
  edgeNode: string;
  devices: readonly Omit<DeviceState, 'good' | 'total'>[];
  logger?: { warn(details: object, message: string): void };
}

/** Aliases this node assigns in its DBIRTHs; DDATA then sends values by alias only, as real edge nodes do. */
const ALIAS = { [METRIC.state]: 1, [METRIC.reasonCode]: 2, [METRIC.lossCategory]: 3, [METRIC.good]: 4, [METRIC.total]: 5 } as const;

/**
 * A Sparkplug B edge node over a real broker: NBIRTH + DBIRTH per device on every (re)connect and on a
 * `Node Control/Rebirth` command, DDATA with changed metrics, an NDEATH will carrying bdSeq, and an explicit
 * NDEATH on stop. Used by the simulator's mqtt transport and by tests as "the shop floor".
 */
export class SparkplugEdgeNode {
  private readonly devices = new Map<string, DeviceState>();
  private seq = 0;
  private bdSeq = 0;

  private constructor(private readonly client: MqttClient, private readonly options: EdgeNodeOptions) {
    for (const d of options.devices) this.devices.set(d.id, { ...d, good: 0, total: 0 });
  }

  static async start(options: EdgeNodeOptions): Promise<SparkplugEdgeNode> {
    const client = mqtt.connect(options.url, { clean: true, reconnectPeriod: 1_000, connectTimeout: 5_000, manualConnect: true });
    const node = new SparkplugEdgeNode(client, options);
    client.options.will = node.will();
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
        client.connect();
      });
    } catch (error) {
      // Otherwise mqtt.js would keep retrying in the background for a node nobody holds any more.
      await client.endAsync(true);
      throw error;
    }
    client.on('error', (error) => options.logger?.warn({ err: error }, 'edge node: MQTT error'));
    client.on('message', (topic, payload) => node.onCommand(payload));
    // A new MQTT session is a new Sparkplug session: next bdSeq in the will, births again once connected.
    client.on('close', () => {
      node.bdSeq = (node.bdSeq + 1) % 256;
      client.options.will = node.will();
    });
    client.on('connect', () => void node.online().catch(() => undefined));
    await node.online();
    return node;
  }

  stateOf(id: string): DeviceState | undefined {
    return this.devices.get(id);
  }

  /** Publishes the metrics that changed (DDATA); a state without a reason sends an empty reason. */
  async setState(id: string, state: MachineState, reasonCode: string | null, lossCategory: LossCategory | null): Promise<void> {
    const device = this.device(id);
    Object.assign(device, { state, reasonCode, lossCategory });
    await this.publish('DDATA', id, [
      { alias: ALIAS[METRIC.state], type: 'String', value: state },
      { alias: ALIAS[METRIC.reasonCode], type: 'String', value: reasonCode ?? '' },
      { alias: ALIAS[METRIC.lossCategory], type: 'String', value: lossCategory ?? '' },
    ]);
  }

  /** Advances the device's cumulative counters (DDATA). */
  async addParts(id: string, good: number, scrap: number): Promise<void> {
    const device = this.device(id);
    device.good += good;
    device.total += good + scrap;
    await this.publish('DDATA', id, [
      { alias: ALIAS[METRIC.good], type: 'UInt64', value: device.good },
      { alias: ALIAS[METRIC.total], type: 'UInt64', value: device.total },
    ]);
  }

  /** The device goes away (DDEATH): the host marks it OFFLINE. */
  async deviceDeath(id: string): Promise<void> {
    this.device(id);
    await this.publish('DDEATH', id, []);
  }

  /** Asks for nothing and announces the death itself, rather than leaving the host to wait for the will. */
  async stop(): Promise<void> {
    this.client.removeAllListeners('close');
    this.client.removeAllListeners('connect');
    if (this.client.connected) {
      await this.client.publishAsync(this.topic('NDEATH', null), this.deathPayload(), { qos: 1 }).catch(() => undefined);
    }
    await this.client.endAsync();
  }

  /** Subscribes to its commands first (a rebirth asked during the births must not be lost), then births. */
  private async online(): Promise<void> {
    await this.client.subscribeAsync(this.topic('NCMD', null), { qos: 1 });
    this.publishBirths();
  }

  /** NBIRTH resets seq to 0; all births go out back to back so no DDATA slips between them. */
  private publishBirths(): void {
    this.seq = 0;
    const nbirth = encodePayload({
      seq: 0,
      metrics: [
        { name: METRIC.bdSeq, type: 'UInt64', value: this.bdSeq },
        { name: METRIC.rebirth, type: 'Boolean', value: false },
      ],
    });
    this.client.publish(this.topic('NBIRTH', null), nbirth, { qos: 0 });
    for (const d of this.devices.values()) {
      void this.publish('DBIRTH', d.id, [
        { name: METRIC.state, alias: ALIAS[METRIC.state], type: 'String', value: d.state },
        { name: METRIC.reasonCode, alias: ALIAS[METRIC.reasonCode], type: 'String', value: d.reasonCode ?? '' },
        { name: METRIC.lossCategory, alias: ALIAS[METRIC.lossCategory], type: 'String', value: d.lossCategory ?? '' },
        { name: METRIC.good, alias: ALIAS[METRIC.good], type: 'UInt64', value: d.good },
        { name: METRIC.total, alias: ALIAS[METRIC.total], type: 'UInt64', value: d.total },
      ]);
    }
  }

  private onCommand(payload: Buffer): void {
    try {
      const rebirth = decodePayload(payload).metrics.some((m) => m.name === METRIC.rebirth && m.value === true);
      if (rebirth) this.publishBirths();
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'edge node: unreadable command ignored');
    }
  }

  /** seq is taken when the publish is handed to the client, which writes in call order: wire order = seq order. */
  private publish(type: MessageType, device: string, metrics: OutgoingMetric[]): Promise<unknown> {
    this.seq = (this.seq + 1) % 256;
    return this.client.publishAsync(this.topic(type, device), encodePayload({ seq: this.seq, metrics }), { qos: 0 });
  }

  private device(id: string): DeviceState {
    const device = this.devices.get(id);
    if (!device) throw new Error(`edge node ${this.options.edgeNode} has no device ${id}`);
    return device;
  }

  private topic(type: MessageType, device: string | null): string {
    return formatTopic({ group: this.options.group, type, edgeNode: this.options.edgeNode, device });
  }

  private deathPayload(): Buffer {
    return encodePayload({ metrics: [{ name: METRIC.bdSeq, type: 'UInt64', value: this.bdSeq }] });
  }

  private will() {
    return { topic: this.topic('NDEATH', null), payload: this.deathPayload(), qos: 1 as const, retain: false };
  }
}

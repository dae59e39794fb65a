import { METRIC } from './machine-metrics';
import type { DecodedPayload, MetricValue } from './sparkplug-codec';
import type { SparkplugTopic } from './sparkplug-topic';

/**
 * The host side of the Sparkplug B session rules, without MQTT or the MES: given each (topic, payload) in arrival
 * order, decides what the ingest does. Pure apart from the `now` it is given, so unit tests drive it directly.
 */
export type SessionDecision =
  /** Metrics of one device, names resolved (aliases from its BIRTH); `birth`: the full state, not changes. */
  | { kind: 'device'; machineId: string; birth: boolean; metrics: ReadonlyMap<string, MetricValue> }
  /** Telemetry of these devices is lost (DDEATH, or NDEATH of their node). */
  | { kind: 'offline'; machineIds: string[] }
  /** Ask the node to send NBIRTH + DBIRTHs again: the host's view of it cannot be trusted. */
  | { kind: 'rebirth'; group: string; edgeNode: string; reason: RebirthReason }
  /** Dropped on purpose; `reason` feeds the ingest's counters and logs. */
  | { kind: 'ignored'; reason: IgnoreReason };

export type RebirthReason = 'sequence-gap' | 'unknown-node' | 'unknown-device' | 'reconnected';
export type IgnoreReason =
  | 'duplicate'
  | 'awaiting-rebirth'
  | 'stale-death'
  | 'unknown-node'
  | 'no-seq'
  | 'unknown-alias'
  | 'command';

interface DeviceSession {
  alive: boolean;
  aliases: Map<number, string>;
}

interface NodeSession {
  group: string;
  edgeNode: string;
  bdSeq: number | null;
  lastSeq: number | null;
  online: boolean;
  /** Set when a rebirth was asked for: DATA is ignored until the NBIRTH. Holds when it was asked (ms). */
  rebirthRequestedAt: number | null;
  aliases: Map<number, string>;
  devices: Map<string, DeviceSession>;
}

/** Sparkplug `seq` runs 0–255 and wraps. */
export const SEQ_MODULO = 256;
/** A node that ignores a rebirth request is asked again at most this often, not once per message. */
export const REBIRTH_RETRY_MS = 5_000;

export class EdgeNodeSessions {
  private readonly nodes = new Map<string, NodeSession>();

  constructor(private readonly now: () => number = Date.now) {}

  accept(topic: SparkplugTopic, payload: DecodedPayload): SessionDecision[] {
    switch (topic.type) {
      case 'NBIRTH':
        return this.nodeBirth(topic, payload);
      case 'NDEATH':
        return this.nodeDeath(topic, payload);
      case 'DBIRTH':
      case 'DDATA':
      case 'DDEATH':
      case 'NDATA':
        return this.sequenced(topic, payload);
      case 'NCMD':
      case 'DCMD':
        // Commands go to edge nodes; the host sees its own (and other hosts') on the shared subscription.
        return [{ kind: 'ignored', reason: 'command' }];
    }
  }

  /** After the host's own MQTT session was interrupted: every known node may have sent what was missed. */
  rebirthAll(): SessionDecision[] {
    return [...this.nodes.values()].map((node) => this.askRebirth(node, 'reconnected', true)).filter(isDecision);
  }

  private nodeBirth(topic: SparkplugTopic, payload: DecodedPayload): SessionDecision[] {
    const node = this.node(topic);
    node.bdSeq = numberMetric(payload, METRIC.bdSeq);
    node.lastSeq = payload.seq ?? 0;
    node.online = true;
    node.rebirthRequestedAt = null;
    node.aliases = aliasesOf(payload);
    // Devices keep their identity but must be born again before their DATA means anything.
    for (const device of node.devices.values()) {
      device.alive = false;
      device.aliases = new Map();
    }
    return [];
  }

  private nodeDeath(topic: SparkplugTopic, payload: DecodedPayload): SessionDecision[] {
    const node = this.nodes.get(key(topic));
    if (!node || !node.online) return [{ kind: 'ignored', reason: 'unknown-node' }];
    const bdSeq = numberMetric(payload, METRIC.bdSeq);
    // The will of an earlier connection, delivered after the node came back: it is not about the live session.
    if (node.bdSeq !== null && bdSeq !== null && bdSeq !== node.bdSeq) return [{ kind: 'ignored', reason: 'stale-death' }];
    node.online = false;
    node.lastSeq = null;
    const machineIds = [...node.devices.entries()].filter(([, d]) => d.alive).map(([id]) => id);
    for (const id of machineIds) node.devices.get(id)!.alive = false;
    return machineIds.length > 0 ? [{ kind: 'offline', machineIds }] : [];
  }

  /** DBIRTH, DDATA, DDEATH, NDATA: all numbered by the node's seq. */
  private sequenced(topic: SparkplugTopic, payload: DecodedPayload): SessionDecision[] {
    const node = this.nodes.get(key(topic));
    if (!node || !node.online) return [this.askRebirth(node ?? this.node(topic), 'unknown-node') ?? ignored('unknown-node')];
    if (node.rebirthRequestedAt !== null) return [this.askRebirth(node, 'sequence-gap') ?? ignored('awaiting-rebirth')];
    if (payload.seq === null) return [ignored('no-seq')];
    if (node.lastSeq !== null) {
      if (payload.seq === node.lastSeq) return [ignored('duplicate')];
      if (payload.seq !== (node.lastSeq + 1) % SEQ_MODULO) return [this.askRebirth(node, 'sequence-gap', true)!];
    }
    node.lastSeq = payload.seq;

    if (topic.type === 'NDATA') return [];
    const machineId = topic.device!;
    if (topic.type === 'DBIRTH') {
      node.devices.set(machineId, { alive: true, aliases: aliasesOf(payload) });
      return [{ kind: 'device', machineId, birth: true, metrics: namedMetrics(payload, new Map()) }];
    }
    const device = node.devices.get(machineId);
    if (!device || !device.alive) {
      return topic.type === 'DDEATH' ? [ignored('unknown-node')] : [this.askRebirth(node, 'unknown-device', true)!];
    }
    if (topic.type === 'DDEATH') {
      device.alive = false;
      return [{ kind: 'offline', machineIds: [machineId] }];
    }
    const aliases = new Map([...node.aliases, ...device.aliases]);
    const metrics = namedMetrics(payload, aliases);
    if (metrics.size === 0 && payload.metrics.length > 0) return [ignored('unknown-alias')];
    return [{ kind: 'device', machineId, birth: false, metrics }];
  }

  /** Marks the node as awaiting a rebirth; returns the request unless one went out less than REBIRTH_RETRY_MS ago. */
  private askRebirth(node: NodeSession, reason: RebirthReason, force = false): SessionDecision | null {
    const now = this.now();
    const recent = node.rebirthRequestedAt !== null && now - node.rebirthRequestedAt < REBIRTH_RETRY_MS;
    if (recent && !force) return null;
    node.rebirthRequestedAt = now;
    return { kind: 'rebirth', group: node.group, edgeNode: node.edgeNode, reason };
  }

  private node(topic: SparkplugTopic): NodeSession {
    let node = this.nodes.get(key(topic));
    if (!node) {
      node = {
        group: topic.group,
        edgeNode: topic.edgeNode,
        bdSeq: null,
        lastSeq: null,
        online: false,
        rebirthRequestedAt: null,
        aliases: new Map(),
        devices: new Map(),
      };
      this.nodes.set(key(topic), node);
    }
    return node;
  }
}

const key = (topic: SparkplugTopic) => `${topic.group}/${topic.edgeNode}`;
const ignored = (reason: IgnoreReason): SessionDecision => ({ kind: 'ignored', reason });
const isDecision = (d: SessionDecision | null): d is SessionDecision => d !== null;

function aliasesOf(payload: DecodedPayload): Map<number, string> {
  const aliases = new Map<number, string>();
  for (const m of payload.metrics) if (m.name !== null && m.alias !== null) aliases.set(m.alias, m.name);
  return aliases;
}

/** Metric values by name; a metric sent by alias alone takes the name its BIRTH gave that alias. */
function namedMetrics(payload: DecodedPayload, aliases: ReadonlyMap<number, string>): Map<string, MetricValue> {
  const metrics = new Map<string, MetricValue>();
  for (const m of payload.metrics) {
    const name = m.name ?? (m.alias !== null ? aliases.get(m.alias) : undefined);
    if (name !== undefined) metrics.set(name, m.value);
  }
  return metrics;
}

function numberMetric(payload: DecodedPayload, name: string): number | null {
  const value = payload.metrics.find((m) => m.name === name)?.value;
  return typeof value === 'number' ? value : null;
}

/**
 * Sparkplug B topic namespace (Eclipse Sparkplug 3.0 §4.1): `spBv1.0/<group>/<type>/<edge node>[/<device>]`.
 * The device id appears only on the D* message types.
 */
export const NAMESPACE = 'spBv1.0';

export const MESSAGE_TYPES = ['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface SparkplugTopic {
  group: string;
  type: MessageType;
  edgeNode: string;
  /** Set on DBIRTH, DDEATH, DDATA, DCMD; null on node messages. */
  device: string | null;
}

const DEVICE_TYPES: ReadonlySet<MessageType> = new Set(['DBIRTH', 'DDEATH', 'DDATA', 'DCMD']);

/** null for anything that is not a well-formed Sparkplug B edge topic (host STATE messages included). */
export function parseTopic(topic: string): SparkplugTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== NAMESPACE || parts.length < 4 || parts.length > 5) return null;
  const [, group, type, edgeNode, device] = parts;
  if (!(MESSAGE_TYPES as readonly string[]).includes(type) || !group || !edgeNode) return null;
  const isDeviceType = DEVICE_TYPES.has(type as MessageType);
  if (isDeviceType !== (device !== undefined) || device === '') return null;
  return { group, type: type as MessageType, edgeNode, device: device ?? null };
}

export function formatTopic(topic: SparkplugTopic): string {
  const base = `${NAMESPACE}/${topic.group}/${topic.type}/${topic.edgeNode}`;
  return topic.device === null ? base : `${base}/${topic.device}`;
}

/**
 * What the MES subscribes to: every message type of the configured edge nodes in one group. `edgeNode` may be
 * `+` (all edge nodes of the group, the default). The trailing `#` also matches node topics (no device level).
 */
export function subscriptionFilter(group: string, edgeNode: string): string {
  return `${NAMESPACE}/${group}/+/${edgeNode}/#`;
}

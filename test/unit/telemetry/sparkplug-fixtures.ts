import { encodePayload, type OutgoingMetric } from '../../../subgraphs/mes/telemetry/sparkplug-codec';
import { decodePayload, type DecodedPayload } from '../../../subgraphs/mes/telemetry/sparkplug-codec';

/** Messages of one test edge node `line-1` in group `g`, encoded and decoded as on the wire. */
export const GROUP = 'g';
export const NODE = 'line-1';

export const topic = (type: string, device?: string) => `spBv1.0/${GROUP}/${type}/${NODE}${device ? `/${device}` : ''}`;

export const str = (name: string, value: string, alias?: number): OutgoingMetric => ({ name, alias, type: 'String', value });
export const count = (name: string, value: number, alias?: number): OutgoingMetric => ({ name, alias, type: 'UInt64', value });
/** A metric sent by alias alone, as DATA messages may. */
export const byAlias = (alias: number, type: OutgoingMetric['type'], value: OutgoingMetric['value']): OutgoingMetric => ({ alias, type, value });

export const bytes = (seq: number | undefined, metrics: OutgoingMetric[]) => encodePayload({ seq, metrics });
export const decoded = (seq: number | undefined, metrics: OutgoingMetric[]): DecodedPayload => decodePayload(bytes(seq, metrics));

export const nbirth = (bdSeq: number) => bytes(0, [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }]);
export const ndeath = (bdSeq: number) => bytes(undefined, [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }]);

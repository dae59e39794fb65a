import { get as getSparkplug } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';

/** The protobuf codec of the `spBv1.0` namespace, loaded once. */
const codec = getSparkplug('spBv1.0')!;

export type MetricValue = string | number | boolean | null;

/** A metric as the ingest needs it: name or alias (DATA messages may carry only the alias), plain JS value. */
export interface DecodedMetric {
  name: string | null;
  alias: number | null;
  value: MetricValue;
}

export interface DecodedPayload {
  timestamp: number | null;
  seq: number | null;
  metrics: DecodedMetric[];
}

/** Thrown for bytes that are not a Sparkplug B payload; the ingest counts it as malformed. */
export class MalformedPayload extends Error {
  override name = 'MalformedPayload';
}

/** 64-bit protobuf integers come back as `Long`; the values forge reads (seq, counters, aliases) fit a double. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value !== null && typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return null;
}

function plainValue(metric: UMetric): MetricValue {
  if (metric.isNull) return null;
  const { value } = metric;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  // Templates, data sets and bytes mean nothing to forge: they decode, but as "no value".
  return toNumber(value);
}

export function decodePayload(bytes: Uint8Array): DecodedPayload {
  let payload: UPayload;
  try {
    payload = codec.decodePayload(bytes);
  } catch (error) {
    throw new MalformedPayload(`not a Sparkplug B payload: ${(error as Error).message}`);
  }
  return {
    timestamp: toNumber(payload.timestamp),
    seq: payload.seq === undefined || payload.seq === null ? null : toNumber(payload.seq),
    metrics: (payload.metrics ?? []).map((metric) => ({
      name: metric.name ? metric.name : null,
      alias: metric.alias === undefined || metric.alias === null ? null : toNumber(metric.alias),
      value: plainValue(metric),
    })),
  };
}

/** What an edge node (simulator, tests) publishes: a metric with its Sparkplug datatype. */
export interface OutgoingMetric {
  name?: string;
  alias?: number;
  type: 'String' | 'Boolean' | 'UInt64' | 'Int64' | 'Double';
  value: string | number | boolean | null;
}

export function encodePayload(payload: { timestamp?: number; seq?: number; metrics: OutgoingMetric[] }): Buffer {
  const metrics = payload.metrics.map((m) => ({ ...m, value: m.value, isNull: m.value === null })) as UMetric[];
  return Buffer.from(codec.encodePayload({ timestamp: payload.timestamp ?? Date.now(), seq: payload.seq, metrics }));
}

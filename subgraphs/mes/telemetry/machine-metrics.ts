import { LOSS_CATEGORIES, MACHINE_STATES, type LossCategory, type MachineState } from '../backend/mes-backend';
import type { MetricValue } from './sparkplug-codec';

/**
 * The device metrics forge reads. A Sparkplug device is one machine: its device id is the forge machine id.
 * Every metric is optional in DATA messages (changes only); a BIRTH should carry all of them.
 *
 * | metric                | datatype       | meaning                                                          |
 * |-----------------------|----------------|------------------------------------------------------------------|
 * | Machine/State         | String         | PackML state name (`Execute`, `Held`…) or forge state (`RUNNING`) |
 * | Machine/ReasonCode    | String         | why the machine is in a non-running state (stop reason)          |
 * | Machine/LossCategory  | String         | PLANNED, AVAILABILITY, PERFORMANCE or QUALITY                     |
 * | Counts/Good           | UInt64         | cumulative good parts since the counter's last reset             |
 * | Counts/Total          | UInt64         | cumulative parts (good + scrap) since the counter's last reset   |
 *
 * Any other metric is ignored. Node-level metrics: `bdSeq` (NBIRTH, NDEATH) and `Node Control/Rebirth`.
 */
export const METRIC = {
  state: 'Machine/State',
  reasonCode: 'Machine/ReasonCode',
  lossCategory: 'Machine/LossCategory',
  good: 'Counts/Good',
  total: 'Counts/Total',
  bdSeq: 'bdSeq',
  rebirth: 'Node Control/Rebirth',
} as const;

/**
 * PackML (ISA-TR88.00.02) → forge, as in domain-facts.md. Suspended (starved/blocked by a neighbour) and the
 * transient states around Complete count as IDLE: the machine is able to run but is not producing.
 */
export const PACKML_STATES: Readonly<Record<string, MachineState>> = {
  execute: 'RUNNING',
  idle: 'IDLE',
  complete: 'IDLE',
  completing: 'IDLE',
  suspending: 'IDLE',
  suspended: 'IDLE',
  unsuspending: 'IDLE',
  resetting: 'SETUP',
  starting: 'SETUP',
  holding: 'DOWN',
  held: 'DOWN',
  unholding: 'DOWN',
  aborting: 'DOWN',
  aborted: 'DOWN',
  clearing: 'DOWN',
  stopping: 'OFFLINE',
  stopped: 'OFFLINE',
};

/** A PackML state name or a forge state name, any case; null for anything else. */
export function parseMachineState(value: MetricValue): MachineState | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const upper = text.toUpperCase();
  if ((MACHINE_STATES as readonly string[]).includes(upper)) return upper as MachineState;
  return PACKML_STATES[text.toLowerCase()] ?? null;
}

export function parseLossCategory(value: MetricValue): LossCategory | null {
  if (typeof value !== 'string') return null;
  const upper = value.trim().toUpperCase();
  return (LOSS_CATEGORIES as readonly string[]).includes(upper) ? (upper as LossCategory) : null;
}

export function parseReasonCode(value: MetricValue): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text.length > 0 ? text : null;
}

/** Counters are non-negative integers; anything else is not a reading. */
export function parseCounter(value: MetricValue): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * A stop the device reported without a reason: recorded anyway (the machine really stopped, and OEE must see
 * it), under a code an operator can recognise and re-assign, rather than dropped because the reason is missing.
 */
export const UNASSIGNED_REASON = 'Unassigned';

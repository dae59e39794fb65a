import type { LossCategory, MachineState } from '../backend/mes-backend';

/**
 * Overall Equipment Effectiveness of one machine over one window, as a pure function of its state history
 * and production counts (DESIGN §3, domain-facts "OEE").
 *
 * - Planned production time = window − planned-loss intervals. An interval is a planned loss when it is not
 *   RUNNING and its loss category is PLANNED (breaks, no orders, planned maintenance), or when it is
 *   MAINTENANCE with no category (maintenance mode is scheduled unless someone says otherwise). Everything
 *   else that is not RUNNING — DOWN, SETUP, IDLE, OFFLINE (including lost telemetry), and time the history
 *   does not cover — stays inside planned time and counts against availability, so missing data can never
 *   make a machine look better than it was.
 * - Run time = RUNNING time inside the window.
 * - Availability = run time / planned time; performance = ideal cycle time × total count / run time, capped
 *   at 1 (a count burst reported late must not produce 140 %); quality = good / total.
 * - Intervals are clipped to the window; an open interval (`to` null) lasts until the window end, so callers
 *   cap the window at "now". Counts are taken with `at` in [from, to).
 *
 * Zero denominators: a factor is null when it cannot be measured — availability when planned time is 0,
 * performance when run time is 0, quality when nothing was counted. `oee` is null only when planned time is
 * 0 (nothing was planned, so there is nothing to be effective at); otherwise a machine that never ran
 * (availability 0) or ran without output (performance 0) has `oee` 0, and in every other case all three
 * factors exist and `oee` is their product.
 */
export interface OeeWindow {
  from: Date;
  to: Date;
}

export interface OeeStateInterval {
  state: MachineState;
  lossCategory: LossCategory | null;
  from: string | Date;
  /** null while the machine is still in this state. */
  to: string | Date | null;
}

export interface OeeCount {
  at: string | Date;
  good: number;
  scrap: number;
}

export interface OeeInput {
  window: OeeWindow;
  idealCycleTimeSeconds: number;
  intervals: readonly OeeStateInterval[];
  counts: readonly OeeCount[];
}

export interface OeeResult {
  from: Date;
  to: Date;
  /** All durations in seconds. */
  windowTime: number;
  plannedLossTime: number;
  plannedTime: number;
  runTime: number;
  /** Planned time the machine was not running: the availability loss. */
  stopTime: number;
  idealCycleTime: number;
  totalCount: number;
  goodCount: number;
  scrapCount: number;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
}

export function isPlannedLoss(interval: Pick<OeeStateInterval, 'state' | 'lossCategory'>): boolean {
  if (interval.state === 'RUNNING') return false;
  if (interval.lossCategory === 'PLANNED') return true;
  return interval.lossCategory === null && interval.state === 'MAINTENANCE';
}

export function computeOee(input: OeeInput): OeeResult {
  const { window, idealCycleTimeSeconds } = input;
  const windowStart = window.from.getTime();
  const windowEnd = Math.max(windowStart, window.to.getTime());

  let plannedLossMs = 0;
  let runMs = 0;
  for (const interval of input.intervals) {
    const overlap = overlapMs(interval, windowStart, windowEnd);
    if (interval.state === 'RUNNING') runMs += overlap;
    else if (isPlannedLoss(interval)) plannedLossMs += overlap;
  }

  let goodCount = 0;
  let scrapCount = 0;
  for (const count of input.counts) {
    const at = new Date(count.at).getTime();
    if (at < windowStart || at >= windowEnd) continue;
    goodCount += count.good;
    scrapCount += count.scrap;
  }

  const windowTime = (windowEnd - windowStart) / 1000;
  const plannedLossTime = Math.min(windowTime, plannedLossMs / 1000);
  const plannedTime = windowTime - plannedLossTime;
  // Intervals of one machine do not overlap, so run time fits in planned time; min() guards bad data.
  const runTime = Math.min(plannedTime, runMs / 1000);
  const totalCount = goodCount + scrapCount;

  const availability = plannedTime > 0 ? runTime / plannedTime : null;
  const performance = runTime > 0 ? Math.min(1, (idealCycleTimeSeconds * totalCount) / runTime) : null;
  const quality = totalCount > 0 ? goodCount / totalCount : null;

  return {
    from: new Date(windowStart),
    to: new Date(windowEnd),
    windowTime,
    plannedLossTime,
    plannedTime,
    runTime,
    stopTime: plannedTime - runTime,
    idealCycleTime: idealCycleTimeSeconds,
    totalCount,
    goodCount,
    scrapCount,
    availability,
    performance,
    quality,
    oee: combine(availability, performance, quality),
  };
}

function combine(availability: number | null, performance: number | null, quality: number | null): number | null {
  if (availability === null) return null;
  if (availability === 0 || performance === null || performance === 0 || quality === null) return 0;
  return availability * performance * quality;
}

function overlapMs(interval: OeeStateInterval, windowStart: number, windowEnd: number): number {
  const start = Math.max(windowStart, new Date(interval.from).getTime());
  const end = Math.min(windowEnd, interval.to === null ? windowEnd : new Date(interval.to).getTime());
  return Math.max(0, end - start);
}

import type { ProductionCountRecord, StateIntervalRecord } from '../../subgraphs/mes/backend/mes-backend';
import { lowerBound } from '../backend-support';
import { deepFreeze } from '../dataset/generate-world';

/**
 * One machine's state intervals and counter readings, kept in time order with their instants as numbers,
 * so a window query is two binary searches instead of a scan of the whole history.
 */
export class MachineTimeline {
  private readonly intervals: StateIntervalRecord[] = [];
  /** End of each interval; an open interval ends at +Infinity. Ascending because intervals are contiguous. */
  private readonly intervalEnds: number[] = [];
  private readonly counts: ProductionCountRecord[] = [];
  private readonly countTimes: number[] = [];

  addInterval(interval: StateIntervalRecord): void {
    this.intervals.push(interval);
    this.intervalEnds.push(interval.to === null ? Infinity : Date.parse(interval.to));
  }

  /** Readings may arrive late (a report for an earlier instant), so they are inserted in time order. */
  addCount(count: ProductionCountRecord): void {
    const at = Date.parse(count.at);
    const index = lowerBound(this.countTimes, at + 1);
    this.counts.splice(index, 0, count);
    this.countTimes.splice(index, 0, at);
  }

  /** Intervals overlapping [from, to), oldest first. */
  statesBetween(from: number, to: number): StateIntervalRecord[] {
    const result: StateIntervalRecord[] = [];
    if (from >= to) return result;
    for (let i = lowerBound(this.intervalEnds, from + 1); i < this.intervals.length; i++) {
      const interval = this.intervals[i]!;
      if (Date.parse(interval.from) >= to) break;
      result.push(interval);
    }
    return result;
  }

  /** Readings with `at` in [from, to), oldest first. */
  countsBetween(from: number, to: number): ProductionCountRecord[] {
    return this.counts.slice(lowerBound(this.countTimes, from), lowerBound(this.countTimes, to));
  }

  current(): StateIntervalRecord | undefined {
    return this.intervals[this.intervals.length - 1];
  }

  /**
   * Closes the open interval at `at` and opens `next` there. A change at the very instant the open interval
   * began replaces it, so the history never holds an empty interval.
   */
  changeState(next: Omit<StateIntervalRecord, 'from' | 'to'>, at: number): StateIntervalRecord {
    const open = this.current();
    const iso = new Date(at).toISOString();
    if (open) {
      const openedAt = Date.parse(open.from);
      if (at < openedAt) throw new RangeError(`state change at ${iso} precedes the current state's start ${open.from}`);
      this.intervals.pop();
      this.intervalEnds.pop();
      if (at > openedAt) this.addInterval(deepFreeze({ ...open, to: iso }));
    }
    const interval = deepFreeze({ ...next, from: iso, to: null });
    this.addInterval(interval);
    return interval;
  }
}

import { badUserInput } from '../../common/errors';
import { DAY_MS } from '../dates';
import type { OeeWindow } from './oee';

export const DEFAULT_WINDOW_MS = DAY_MS;
/** A quarter: enough for monthly and quarterly OEE reports, short enough to keep one request's reads bounded. */
export const MAX_WINDOW_DAYS = 92;

/**
 * Turns optional `from`/`to` arguments into the window machine fields read. Omitted `to` is now, omitted `from`
 * is 24 h before `to`. The window end is then capped at now: the future has no history, and counting it as
 * planned time would make every machine look idle.
 *
 * Errors name `from`: with `to` defaulting to now, an inverted or overlong window is `from`'s fault.
 */
export function resolveWindow(from: Date | null | undefined, to: Date | null | undefined, now: Date): OeeWindow {
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_WINDOW_MS);
  if (start.getTime() >= end.getTime()) {
    throw badUserInput(`from (${start.toISOString()}) must be earlier than to (${end.toISOString()})`, 'from');
  }
  if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw badUserInput(`the window from ${start.toISOString()} to ${end.toISOString()} exceeds ${MAX_WINDOW_DAYS} days`, 'from');
  }
  const cappedEnd = Math.max(start.getTime(), Math.min(end.getTime(), now.getTime()));
  return { from: start, to: new Date(cappedEnd) };
}

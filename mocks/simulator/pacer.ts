/**
 * Runs `work` `ratePerSecond` times a second, evenly spaced, one call at a time, on timers (no busy loop).
 *
 * - Below 1000 / MIN_PERIOD_MS per second each tick runs one call; above it, ticks stay MIN_PERIOD_MS apart and
 *   run a small batch each, because Node timers are not precise below a few milliseconds.
 * - How many calls are owed is counted in ticks, not measured time, so N seconds at rate R make N·R calls
 *   exactly under fake timers, and a slow call delays the following ones instead of being skipped.
 * - Ticks are aimed at fixed deadlines from the start, so the time calls take does not slow the rate down; after
 *   a long stall (event loop blocked, laptop asleep) the schedule restarts from now instead of bursting to catch up.
 */
export interface Pacer {
  /** No call starts after this; resolves once the call in flight (if any) has finished. */
  stop(): Promise<void>;
}

export const MIN_PERIOD_MS = 10;
/** Lag beyond which missed ticks are given up rather than run back to back. */
const MAX_LAG_MS = 1_000;

/** `work` must not reject (the simulator reports its own errors); a rejection is ignored so pacing carries on. */
export function startPacer(ratePerSecond: number, work: () => Promise<unknown>): Pacer {
  const periodMs = Math.max(1000 / ratePerSecond, MIN_PERIOD_MS);
  const callsPerTick = (ratePerSecond * periodMs) / 1000;
  let origin = Date.now();
  let ticks = 0;
  let calls = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const schedule = () => {
    let delay = origin + (ticks + 1) * periodMs - Date.now();
    if (delay < -MAX_LAG_MS) {
      origin = Date.now() - (ticks + 1) * periodMs;
      delay = 0;
    }
    timer = setTimeout(tick, Math.max(0, delay));
    // The simulator never keeps a process alive on its own: the server it runs beside does.
    timer.unref?.();
  };

  const tick = () => {
    timer = undefined;
    ticks += 1;
    // The epsilon keeps 1000/3 ms × 3/s from flooring to 0.999… calls.
    const owed = Math.floor(ticks * callsPerTick + 1e-9);
    inFlight = (async () => {
      while (calls < owed && !stopped) {
        calls += 1;
        await work().catch(() => undefined);
      }
      if (!stopped) schedule();
    })();
  };

  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}

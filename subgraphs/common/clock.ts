/**
 * The subgraphs never call `new Date()` for business logic (risk projections, OEE windows defaults):
 * they ask the clock they were given, so mock data anchored at a fixed instant gives the same answers
 * on every machine.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Starts at `anchor` and advances with real time, so live activity lands after the seeded history. */
export function anchoredClock(anchor: Date): Clock {
  const startedAt = Date.now();
  return () => new Date(anchor.getTime() + (Date.now() - startedAt));
}

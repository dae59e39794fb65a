import type { Clock } from '../common/clock';
import type { MesBackend } from './backend/mes-backend';
import type { EventBus } from './events/event-bus';
import { createMesLoaders, type MesLoaders } from './loaders';

/** What every MES resolver receives. Resolvers read through `loaders`; only list queries and writes use `backend`. */
export interface MesContext {
  backend: MesBackend;
  loaders: MesLoaders;
  /** Frozen at the start of the request (see createMesContext). */
  clock: Clock;
  /** Where writes announce what happened; subscriptions read from it. */
  events: EventBus;
}

/**
 * Call once per request: the loaders cache for the lifetime of one operation only. The clock is read once
 * here, so every field of a response agrees on "now" — and 500 machines asking for the default OEE window
 * share one window key, hence one backend call, instead of drifting by a millisecond each.
 */
export function createMesContext(backend: MesBackend, clock: Clock, events: EventBus): MesContext {
  const now = clock().getTime();
  return { backend, loaders: createMesLoaders(backend), clock: () => new Date(now), events };
}

/**
 * A subscription lives for hours and resolves each event's fields long after it started: a per-request
 * cache would serve stale machine states. So every read gets fresh loaders and the live clock. The cost (no
 * batching across one event's fields) falls only on clients subscribing to the MES directly: the gateway
 * selects `eventId` alone and hydrates the rest with a query.
 */
export function createSubscriptionContext(backend: MesBackend, clock: Clock, events: EventBus): MesContext {
  return {
    backend,
    events,
    clock,
    get loaders() {
      return createMesLoaders(backend);
    },
  };
}

import type { Clock } from '../common/clock';
import type { MesBackend } from './backend/mes-backend';
import { createMesLoaders, type MesLoaders } from './loaders';

/** What every MES resolver receives. Resolvers read through `loaders`; only list queries and writes use `backend`. */
export interface MesContext {
  backend: MesBackend;
  loaders: MesLoaders;
  /** Frozen at the start of the request (see createMesContext). */
  clock: Clock;
}

/**
 * Call once per request: the loaders cache for the lifetime of one operation only. The clock is read once
 * here, so every field of a response agrees on "now" — and 500 machines asking for the default OEE window
 * share one window key, hence one backend call, instead of drifting by a millisecond each.
 */
export function createMesContext(backend: MesBackend, clock: Clock): MesContext {
  const now = clock().getTime();
  return { backend, loaders: createMesLoaders(backend), clock: () => new Date(now) };
}

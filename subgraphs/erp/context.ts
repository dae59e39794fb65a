import type { Clock } from '../common/clock';
import type { ErpBackend } from './backend/erp-backend';
import { createErpLoaders, ErpLoaders } from './loaders';

/**
 * What every ERP resolver receives. Resolvers read through `loaders`; only list queries and writes
 * use `backend` directly (a list is one call by nature, a write must not be cached).
 */
export interface ErpContext {
  backend: ErpBackend;
  loaders: ErpLoaders;
  clock: Clock;
}

/** Called once per request: fresh loaders, so no record outlives the request that read it. */
export function createErpContext(backend: ErpBackend, clock: Clock): ErpContext {
  return { backend, loaders: createErpLoaders(backend), clock };
}

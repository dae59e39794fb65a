import type { Clock } from '../common/clock';
import { tenantOf, type ForwardedIdentity } from '../common/identity';
import type { ErpBackend } from './backend/erp-backend';
import { createErpLoaders, ErpLoaders } from './loaders';
import { tenantScopedErpBackend } from './tenant-scope';

/**
 * What every ERP resolver receives. Resolvers read through `loaders`; only list queries and writes
 * use `backend` directly (a list is one call by nature, a write must not be cached).
 */
export interface ErpContext {
  backend: ErpBackend;
  loaders: ErpLoaders;
  clock: Clock;
  /** The caller the gateway forwarded (null: unsigned development, served as staff). */
  identity: ForwardedIdentity | null;
}

/** Called once per request: fresh loaders, so no record outlives the request that read it. */
export function createErpContext(backend: ErpBackend, clock: Clock, identity: ForwardedIdentity | null = null): ErpContext {
  // A partner reads through a tenant-scoped backend: every loader, list and reference sees only its rows.
  const tenant = tenantOf(identity);
  const scoped = tenant ? tenantScopedErpBackend(backend, tenant) : backend;
  return { backend: scoped, loaders: createErpLoaders(scoped), clock, identity };
}

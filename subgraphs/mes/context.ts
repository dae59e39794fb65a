import type { Clock } from '../common/clock';
import type { ForwardedIdentity } from '../common/identity';
import type { MesBackend } from './backend/mes-backend';
import type { EventBus } from './events/event-bus';
import { createMesLoaders, type MesLoaders } from './loaders';
import type { TenantOrders } from './tenant-orders';
import { tenantScopedMesBackend } from './tenant-scope';

/** What every MES resolver receives. Resolvers read through `loaders`; only list queries and writes use `backend`. */
export interface MesContext {
  backend: MesBackend;
  loaders: MesLoaders;
  /** Frozen at the start of the request (see createMesContext). */
  clock: Clock;
  /** Where writes announce what happened; subscriptions read from it. */
  events: EventBus;
  /** The caller the gateway forwarded (null: unsigned development, served as staff). */
  identity?: ForwardedIdentity | null;
  /** A partner's sales-order ids (tenant-orders.ts); absent for staff, who see every row. */
  ownedOrders?: () => Promise<ReadonlySet<string>>;
}

/** Who is asking, and how the MES learns a partner's orders (see tenant-orders.ts). */
export interface MesAccess {
  identity: ForwardedIdentity | null;
  tenantOrders?: TenantOrders;
}

/**
 * A partner reads through a tenant-scoped backend (tenant-scope.ts). Its order ids are asked once per context;
 * without a way to learn them, a partner sees nothing (fail closed).
 */
function scoped(backend: MesBackend, access: MesAccess | undefined, perRequest: boolean) {
  const tenant = access?.identity?.tenant;
  if (!tenant) return { backend, identity: access?.identity ?? null };
  const lookup = access.tenantOrders;
  let memo: Promise<ReadonlySet<string>> | null = null;
  const ownedOrders = (): Promise<ReadonlySet<string>> => {
    if (!lookup) return Promise.resolve(new Set<string>());
    if (!perRequest) return lookup(tenant);
    return (memo ??= lookup(tenant));
  };
  return { backend: tenantScopedMesBackend(backend, ownedOrders), identity: access.identity, ownedOrders };
}

/**
 * Call once per request: the loaders cache for the lifetime of one operation only. The clock is read once
 * here, so every field of a response agrees on "now" — and 500 machines asking for the default OEE window
 * share one window key, hence one backend call, instead of drifting by a millisecond each.
 */
export function createMesContext(backend: MesBackend, clock: Clock, events: EventBus, access?: MesAccess): MesContext {
  const now = clock().getTime();
  const view = scoped(backend, access, true);
  return { ...view, loaders: createMesLoaders(view.backend), clock: () => new Date(now), events };
}

/**
 * A subscription lives for hours and resolves each event's fields long after it started: a per-request
 * cache would serve stale machine states. So every read gets fresh loaders and the live clock. The cost (no
 * batching across one event's fields) falls only on clients subscribing to the MES directly: the gateway
 * selects `eventId` alone and hydrates the rest with a query.
 */
export function createSubscriptionContext(backend: MesBackend, clock: Clock, events: EventBus, access?: MesAccess): MesContext {
  const view = scoped(backend, access, false);
  return {
    ...view,
    events,
    clock,
    get loaders() {
      return createMesLoaders(view.backend);
    },
  };
}

import type { SplitSubscription } from './operation-split';
import type { UpstreamIdentity } from './upstream';

/** The rights a hydration runs with; the caller's `sub` is left out: no subgraph answers differently per person. */
export interface Rights {
  sub?: string | null;
  scopes: readonly string[];
  tenant?: string;
}

/**
 * Subscribers with equal keys share one upstream stream: same subgraph endpoint, root field, filter arguments
 * (values included), and upstream identity (which the subgraph scopes the stream with, e.g. by tenant).
 */
export function upstreamKey(split: SplitSubscription, identity: UpstreamIdentity | undefined): string {
  const { route, upstream } = split;
  return stableJson([route.url, upstream.field, upstream.query, upstream.variables(null), identity?.key ?? null]);
}

/**
 * Within one upstream, subscribers with equal keys share each event's hydrated result: same hydration document,
 * same variables, same rights (authenticated or not, tenant, scopes): two callers whose rights differ never
 * share a result, since field authorization and partner row scoping depend on them.
 */
export function hydrationKey(split: SplitSubscription, rights: Rights | undefined): string {
  return stableJson([split.hydration.query, split.hydration.variables(''), rightsKey(rights)]);
}

export function rightsKey(rights: Rights | undefined): string {
  if (!rights) return stableJson(null);
  const authenticated = rights.sub !== null && rights.sub !== undefined;
  return stableJson([authenticated, rights.tenant ?? null, [...new Set(rights.scopes)].sort()]);
}

/** JSON with object keys sorted, so that equal variables give equal keys whatever their order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

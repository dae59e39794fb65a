import { signIdentity } from '../common/identity';
import { Scope } from '../common/scopes';

/** The sales-order ids a partner (tenant = customer id) owns. */
export type TenantOrders = (tenant: string) => Promise<ReadonlySet<string>>;

const PAGE = 1000;
const QUERY = `query TenantOrders($first: Int, $after: String) {
  salesOrders(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } }
}`;

/**
 * The MES knows a work order's sales order, not that order's customer: the ERP owns that fact. So the MES asks
 * the ERP subgraph, as the partner (a signed identity with the partner's tenant), for its sales orders — the
 * ERP's own tenant scoping answers. One explicit, configured dependency (ERP_SUBGRAPH_URL) rather than a copy
 * of customer data in the MES. Answers are kept `ttlMs` per tenant (new orders show within that time).
 * Any failure fails closed: the partner's request errors, it never sees more.
 */
export function erpTenantOrders(options: { erpUrl: string; secret: string; ttlMs?: number }): TenantOrders {
  const cache = new Map<string, { at: number; ids: Promise<ReadonlySet<string>> }>();
  const ttlMs = options.ttlMs ?? 5_000;
  return (tenant) => {
    const hit = cache.get(tenant);
    if (hit && Date.now() - hit.at < ttlMs) return hit.ids;
    const ids = fetchOrders(options.erpUrl, options.secret, tenant);
    cache.set(tenant, { at: Date.now(), ids });
    ids.catch(() => cache.delete(tenant));
    return ids;
  };
}

async function fetchOrders(url: string, secret: string, tenant: string): Promise<ReadonlySet<string>> {
  const ids = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forge-identity': signIdentity({ sub: 'mes-subgraph', scopes: [Scope.ORDERS_READ], tenant }, secret),
      },
      body: JSON.stringify({ query: QUERY, variables: { first: PAGE, after } }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as {
      data?: { salesOrders: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      errors?: { message: string }[];
    };
    if (!response.ok || !body.data) throw new Error(`the ERP did not list the partner's orders: ${body.errors?.[0]?.message ?? response.status}`);
    for (const edge of body.data.salesOrders.edges) ids.add(edge.node.id);
    if (!body.data.salesOrders.pageInfo.hasNextPage) return ids;
    after = body.data.salesOrders.pageInfo.endCursor;
  }
}

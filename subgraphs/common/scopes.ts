/**
 * The scope catalogue (README "Access"): what a token's `scope` claim may grant. Schema classes declare them with
 * federation's `@requiresScopes` (through `requiresScopes()` below); the gateway enforces them before planning.
 */
export const Scope = {
  /** Customers, sales orders, products, shipments. */
  ORDERS_READ: 'orders:read',
  /** Customer.creditLimit, Product.standardCost, invoices, WorkOrder plannedCost/actualCost. */
  FINANCE_READ: 'finance:read',
  /** Suppliers, purchase orders. */
  PROCUREMENT_READ: 'procurement:read',
  /** Work orders, lots, machines, inspections, non-conformances, events. */
  PRODUCTION_READ: 'production:read',
  ORDERS_WRITE: 'orders:write',
  PROCUREMENT_WRITE: 'procurement:write',
  PRODUCTION_WRITE: 'production:write',
  QUALITY_WRITE: 'quality:write',
} as const;

export type Scope = (typeof Scope)[keyof typeof Scope];

export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

/** `@requiresScopes` needing every scope given (one AND group). */
export function requiresScopes(...scopes: Scope[]): string {
  return `@requiresScopes(scopes: [[${scopes.map((s) => JSON.stringify(s)).join(', ')}]])`;
}

export const AUTHENTICATED = '@authenticated';

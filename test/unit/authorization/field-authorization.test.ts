import fs from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse, print } from 'graphql';
import { AccessPolicy } from '../../../gateway/authorization/access-policy';
import { applyDenials } from '../../../gateway/authorization/apply-denials';
import { filterOperation } from '../../../gateway/authorization/filter-operation';
import { withForgeEnforcedLinks } from '../../../gateway/authorization/security-links';
import type { Identity } from '../../../gateway/authorization/identity';
import { repoRoot } from '../../../subgraphs/common/repo-root';

const sdl = fs.readFileSync(path.join(repoRoot(), 'schema', 'supergraph.graphql'), 'utf8');
const policy = AccessPolicy.fromSupergraph(sdl);
const apiSchema = Supergraph.build(withForgeEnforcedLinks(sdl)).apiSchema().toGraphQLJSSchema();

const who = (...scopes: string[]): Identity => ({ sub: 'u', scopes });

/** Which fields of `query` the identity loses, by coordinate and code. */
function denied(query: string, identity: Identity | undefined) {
  return filterOperation(apiSchema, parse(query), undefined, policy, identity).removed.map((r) => `${r.coordinate}:${r.code}`);
}

describe('the supergraph handed to ApolloGateway', () => {
  test('loads once the security purpose of the two enforced links is dropped, keeping the directives', () => {
    expect(() => Supergraph.build(sdl)).toThrow(/UNSUPPORTED_LINKED_FEATURE|unsupported/i);
    const rewritten = withForgeEnforcedLinks(sdl);
    expect(rewritten).not.toMatch(/requiresScopes\/v0\.1", for: SECURITY/);
    expect(() => Supergraph.build(rewritten)).not.toThrow();
    expect(AccessPolicy.fromSupergraph(rewritten).size).toBe(policy.size);
  });

  test('leaves other purposeful links alone', () => {
    const other = '@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)';
    expect(withForgeEnforcedLinks(other)).toBe(other);
  });
});

describe('scope catalogue, per scope', () => {
  const cases: [string, string, string][] = [
    ['orders:read', '{ salesOrder(id: "x") { number } }', 'Query.salesOrder'],
    ['orders:read', '{ customers { totalCount edges { node { name } } } }', 'Query.customers'],
    ['finance:read', '{ customer(id: "x") { creditLimit } }', 'Customer.creditLimit'],
    ['finance:read', '{ product(sku: "x") { standardCost } }', 'Product.standardCost'],
    ['finance:read', '{ invoice(id: "x") { number } }', 'Query.invoice'],
    ['procurement:read', '{ supplier(id: "x") { name } }', 'Query.supplier'],
    ['procurement:read', '{ purchaseOrder(id: "x") { number } }', 'Query.purchaseOrder'],
    ['production:read', '{ workOrder(id: "x") { number } }', 'Query.workOrder'],
    ['production:read', '{ machine(id: "x") { name } }', 'Query.machine'],
    ['production:read', '{ materialLot(lotNumber: "x") { lotNumber } }', 'Query.materialLot'],
    ['production:read', '{ qualityInspection(id: "x") { id } }', 'Query.qualityInspection'],
  ];
  const base = ['orders:read'];
  test.each(cases)('%s: hidden without it, visible with it (%s)', (scope, query, coordinate) => {
    const without = who(...base.filter((s) => s !== scope));
    expect(denied(query, without)).toContain(`${coordinate}:FORBIDDEN`);
    expect(denied(query, who(...base, scope))).toEqual([]);
  });

  test('write scopes guard mutations', () => {
    const m = 'mutation { confirmSalesOrder(id: "x") { id } }';
    expect(denied(m, who('orders:read'))).toEqual(['Mutation.confirmSalesOrder:FORBIDDEN']);
    expect(denied(m, who('orders:read', 'orders:write'))).toEqual([]);
    expect(denied('mutation { releaseWorkOrder(id: "x") { id } }', who('production:read'))).toEqual(['Mutation.releaseWorkOrder:FORBIDDEN']);
    expect(denied('mutation { recordInspection(input: {workOrderId: "x", characteristic: "c", measured: 1}) { inspection { id } } }', who('production:read', 'production:write'))).toEqual([
      'Mutation.recordInspection:FORBIDDEN',
    ]);
  });

  test('anonymous callers are UNAUTHENTICATED, also on @authenticated alone', () => {
    expect(denied('{ eventStreamPosition { machineStatus } }', undefined)).toEqual(['Query.eventStreamPosition:UNAUTHENTICATED']);
    expect(denied('{ salesOrder(id: "x") { number } }', undefined)).toEqual(['Query.salesOrder:UNAUTHENTICATED']);
  });

  test('fields are found through named and inline fragments', () => {
    const query = `query { customer(id: "x") { ...C ... on Customer { again: creditLimit } } } fragment C on Customer { name creditLimit }`;
    expect(denied(query, who('orders:read'))).toEqual(['Customer.creditLimit:FORBIDDEN', 'Customer.creditLimit:FORBIDDEN']);
  });
});

describe('the response', () => {
  test('nulls a denied nullable field at every place, one error at the first', () => {
    const identity = who('orders:read');
    const { document, removed } = filterOperation(apiSchema, parse('{ salesOrders { edges { node { id workOrders { id } } } } }'), undefined, policy, identity);
    expect(print(document)).not.toMatch(/workOrders/);
    const data = { salesOrders: { edges: [{ node: { id: 'a', [removed[0].marker]: 'SalesOrder' } }, { node: { id: 'b', [removed[0].marker]: 'SalesOrder' } }] } };
    const out = applyDenials(data, removed);
    expect(out.data).toEqual({ salesOrders: { edges: [{ node: { id: 'a', workOrders: null } }, { node: { id: 'b', workOrders: null } }] } });
    expect(out.errors).toEqual([expect.objectContaining({ path: ['salesOrders', 'edges', 0, 'node', 'workOrders'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
  });

  test('a denied non-null field nulls its nearest nullable parent', () => {
    const { removed } = filterOperation(apiSchema, parse('{ customer(id: "x") { name creditLimit } }'), undefined, policy, who('orders:read'));
    const out = applyDenials({ customer: { name: 'n', [removed[0].marker]: 'Customer' } }, removed);
    expect(out.data).toEqual({ customer: null });
    expect(out.errors[0]).toMatchObject({ path: ['customer', 'creditLimit'], extensions: { code: 'FORBIDDEN', field: 'Customer.creditLimit' } });
  });
});

import { Supergraph } from '@apollo/federation-internals';
import { getIntrospectionQuery, parse, validate, type GraphQLSchema } from 'graphql';
import fs from 'node:fs';
import { analyzeOperation } from '../../../gateway/limits/analyze';
import { checkOperation, DEFAULT_OPERATION_LIMITS } from '../../../gateway/limits/check';
import { schemaFile } from '../../../schema/compose';
import { loadOperation } from '../../../schema/operations';

const schema: GraphQLSchema = Supergraph.build(fs.readFileSync(schemaFile('supergraph'), 'utf8'), { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
const measure = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  analyzeOperation(schema, parse(query), operationName, variables)!;
const check = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  return checkOperation({ schema, document, variables });
};

/** materialLot → consumedBy → producedLots → consumedBy …: a valid query `levels` fields deep. */
function deep(levels: number): string {
  const path: string[] = [];
  let onLot = true;
  for (let depth = 2; depth < levels; depth++, onLot = !onLot) path.push(onLot ? 'consumedBy' : 'producedLots');
  const inner = `${path.map((field) => `${field} {`).join(' ')} ${onLot ? 'lotNumber' : 'id'} ${'}'.repeat(path.length)}`;
  return `{ materialLot(lotNumber: "L") { ${inner} } }`;
}
const noCostLimit = { ...DEFAULT_OPERATION_LIMITS, maxCost: Number.MAX_SAFE_INTEGER };

describe('operation analysis (depth, aliases, root fields, cost)', () => {
  it('prices the bi reference operation with first: 500 at 7,006, well inside the default limit', () => {
    const bi = loadOperation('bi');
    const result = measure(bi, { first: 500 });
    // salesOrders 1 + totalCount 1 + pageInfo 3 + nodes (1 + 500 × (6 scalars + customer 3 + productionProgress 5)).
    expect(result.cost).toBe(7_006);
    expect(result.depth).toBe(4);
    expect(check(bi, { first: 500 })).toBeUndefined();
  });

  it('passes the portal and recall reference operations and the Sandbox introspection query', () => {
    expect(check(loadOperation('portal'), { id: 'SO-000010' })).toBeUndefined();
    expect(check(loadOperation('recall'), { lotNumber: 'LOT-RM-000001' })).toBeUndefined();
    expect(check(getIntrospectionQuery())).toBeUndefined();
  });

  it('multiplies nested list sizes: literal, variable, variable default, omitted (page default) and plain lists', () => {
    // The page size applies to the connection's list (nodes), not to totalCount or pageInfo.
    expect(measure('{ salesOrders(first: 10) { totalCount nodes { id } } }').cost).toBe(1 + 1 + (1 + 10 * 1));
    expect(measure('query ($n: Int) { salesOrders(first: $n) { nodes { id } } }', { n: 7 }).cost).toBe(2 + 7);
    expect(measure('query ($n: Int = 3) { salesOrders(first: $n) { nodes { id } } }').cost).toBe(2 + 3);
    expect(measure('{ salesOrders { nodes { id } } }').cost).toBe(2 + 50);
    expect(measure('{ salesOrders(first: 10) { ...Page } } fragment Page on SalesOrderConnection { nodes { id } }').cost).toBe(2 + 10);
    // lines is a list without a size argument: 10 assumed; nested lists multiply.
    expect(measure('{ salesOrders(first: 100) { nodes { lines { lineNo } } } }').cost).toBe(2 + 100 * (1 + 10 * 1));
    expect(measure('{ salesOrders(first: 0) { nodes { id } } }').cost).toBe(2);
    expect(measure('{ __typename salesOrders(first: 2) { nodes { __typename } } }').cost).toBe(1 + 1 + (1 + 2 * 1));
    // Introspection is not multiplied: one per field selected.
    expect(measure('{ __schema { types { name fields { name } } } }').cost).toBe(5);
  });

  it('refuses a huge list argument by cost, with the limit and the actual cost', () => {
    const error = check('{ salesOrders(first: 1000000) { nodes { id number } } }');
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'cost', limit: 50_000, actual: 2 + 1_000_000 * 2 });
  });

  it('refuses depth above 15 and accepts 15', () => {
    expect(measure(deep(15)).depth).toBe(15);
    expect(validate(schema, parse(deep(16)))).toEqual([]);
    expect(checkOperation({ schema, document: parse(deep(15)) }, noCostLimit)).toBeUndefined();
    expect(check(deep(16))?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'depth', limit: 15, actual: 16 });
  });

  it('counts aliases (through fragments, per use) and refuses more than 30', () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: number`).join(' ');
    expect(check(`{ salesOrder(id: "1") { ${aliases(30)} } }`)).toBeUndefined();
    expect(check(`{ salesOrder(id: "1") { ${aliases(31)} } }`)?.extensions).toMatchObject({ measure: 'aliases', limit: 30, actual: 31 });
    const viaFragment = `{ ...F salesOrders(first: 1) { nodes { customer { ...C } } } } fragment F on Query { x: __typename }
      fragment C on Customer { ${Array.from({ length: 16 }, (_, i) => `c${i}: name`).join(' ')} }`;
    expect(measure(viaFragment).aliases).toBe(17);
  });

  it('refuses more than 20 root fields, fragments included', () => {
    const roots = (n: number) => Array.from({ length: n }, (_, i) => `o${i}: salesOrder(id: "${i}") { id }`).join(' ');
    expect(measure(`{ ${roots(21)} }`).rootFields).toBe(21);
    const error = checkOperation(
      { schema, document: parse(`{ ${roots(21)} }`) },
      { ...DEFAULT_OPERATION_LIMITS, maxAliases: 100 },
    );
    expect(error?.extensions).toMatchObject({ measure: 'rootFields', limit: 20, actual: 21 });
    expect(measure('{ ...A } fragment A on Query { a: __typename b: __typename }').rootFields).toBe(2);
  });

  it('refuses oversized variables as BAD_REQUEST', () => {
    const error = check('query ($id: ID!) { salesOrder(id: $id) { id } }', { id: 'x'.repeat(70_000) });
    expect(error?.extensions).toMatchObject({ code: 'BAD_REQUEST', limit: 64 * 1024 });
  });

  it('never hangs on fragment cycles, unknown fragments or fragment bombs (even unvalidated)', () => {
    expect(measure('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }').rootFields).toBe(1);
    expect(measure('{ ...Missing salesOrders(first: 2) { ...Nope } }').cost).toBe(1);
    // 40 levels of fragments each spreading the previous one twice: 2^40 fields if expanded, measured once each.
    const levels = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join('\n');
    const started = Date.now();
    const result = measure(`{ ...F40 } fragment F0 on Query { a: __typename } ${levels}`);
    expect(Date.now() - started).toBeLessThan(500);
    expect(result.aliases).toBe(2 ** 40);
    expect(result.depth).toBe(1);
    // A bomb of __typename inside a field (or inside introspection) still shows in the cost.
    const nested = `{ salesOrder(id: "1") { ...G40 } } fragment G0 on SalesOrder { __typename }
      ${Array.from({ length: 40 }, (_, i) => `fragment G${i + 1} on SalesOrder { ...G${i} ...G${i} }`).join('\n')}`;
    expect(measure(nested).cost).toBe(1 + 2 ** 40);
  });

  it('measures the named operation of a multi-operation document, and nothing for an unknown name', () => {
    const doc = 'query A { salesOrders(first: 5) { nodes { id } } } query B { __typename }';
    expect(measure(doc, undefined, 'A').cost).toBe(7);
    expect(analyzeOperation(schema, parse(doc), 'C', undefined)).toBeUndefined();
    expect(analyzeOperation(schema, parse(doc), undefined, undefined)).toBeUndefined();
  });
});

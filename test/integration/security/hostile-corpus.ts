import { createHash } from 'node:crypto';

/**
 * Hostile and malformed requests with the outcome each must get from the gateway: the HTTP status and, when the
 * response is GraphQL, the `extensions.code` of the first error (null: no error at all). Data-driven so other
 * areas (authentication tokens, scopes…) add entries here without touching the runner.
 *
 * `profile` picks the gateway the entry runs against (see hostile-inputs.test.ts): `default` (limits at their
 * defaults, persisted operations off) or `allowlist` (PERSISTED_OPERATIONS_MODE=allowlist with LISTED below).
 */
export interface HostileRequest {
  method?: 'GET' | 'POST' | 'PUT';
  /** A string is sent as is; anything else as JSON. Absent: no body. */
  body?: unknown;
  /** The query string for GET (without `?`). */
  search?: string;
  /** Default: `content-type: application/json`. */
  headers?: Record<string, string>;
}

export interface HostileCase {
  name: string;
  profile?: 'default' | 'allowlist';
  request: HostileRequest;
  expect: { status: number; code?: string | null; extensions?: Record<string, unknown> };
}

/** The persisted operations of the `allowlist` profile (simple map format). */
export const LISTED = {
  'orders-v1': 'query Orders($first: Int!) { salesOrders(first: $first) { totalCount nodes { number } } }',
  'machines-v1': 'query Machines { machines(first: 3) { nodes { id state } } }',
} as const;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
/** materialLot → consumedBy → producedLots …: a valid selection `levels` fields deep. */
const deep = (levels: number) => {
  const path = Array.from({ length: levels - 2 }, (_, i) => (i % 2 === 0 ? 'consumedBy' : 'producedLots'));
  return `{ materialLot(lotNumber: "L") { ${path.map((f) => `${f} {`).join(' ')} ${levels % 2 === 0 ? 'id' : 'lotNumber'} ${'}'.repeat(path.length)} } }`;
};
const bomb = (root: string, fragmentType: string, leaf: string) =>
  `${root.replace('SPREAD', '...F40')} fragment F0 on ${fragmentType} { ${leaf} } ` +
  repeat(40, (i) => `fragment F${i + 1} on ${fragmentType} { ...F${i} ...F${i} }`);
const op = (query: string, extra: Record<string, unknown> = {}) => ({ query, ...extra });
const tooComplex = (measure: string) => ({ status: 400, code: 'QUERY_TOO_COMPLEX', extensions: { measure } });
const badRequest = { status: 400, code: 'BAD_REQUEST' };
const ok = { status: 200, code: null };

export const HOSTILE_CORPUS: HostileCase[] = [
  // The HTTP request itself.
  { name: 'malformed JSON', request: { body: '{"query": "{ __typename }"' }, expect: badRequest },
  { name: 'JSON null body', request: { body: 'null' }, expect: badRequest },
  { name: 'JSON string body', request: { body: '"{ __typename }"' }, expect: badRequest },
  { name: 'empty object', request: { body: {} }, expect: badRequest },
  { name: 'missing query', request: { body: { variables: {} } }, expect: badRequest },
  { name: 'empty query', request: { body: op('') }, expect: badRequest },
  { name: 'non-string query (number)', request: { body: op(42 as unknown as string) }, expect: badRequest },
  { name: 'non-string query (object)', request: { body: { query: { kind: 'Document' } } }, expect: badRequest },
  { name: 'variables as a string', request: { body: op('{ __typename }', { variables: '{}' }) }, expect: badRequest },
  { name: 'extensions as a string', request: { body: op('{ __typename }', { extensions: 'x' }) }, expect: badRequest },
  { name: 'operationName not a string', request: { body: op('{ __typename }', { operationName: 5 }) }, expect: badRequest },
  { name: 'wrong content type (text/plain)', request: { body: JSON.stringify(op('{ __typename }')), headers: { 'content-type': 'text/plain' } }, expect: badRequest },
  { name: 'form content type', request: { body: 'query=%7B__typename%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, expect: badRequest },
  { name: 'no content type', request: { body: JSON.stringify(op('{ __typename }')), headers: {} }, expect: badRequest },
  { name: 'PUT method', request: { method: 'PUT', body: op('{ __typename }') }, expect: { status: 405, code: 'BAD_REQUEST' } },
  { name: 'GET without a CSRF-safe header', request: { method: 'GET', search: 'query=%7B__typename%7D', headers: {} }, expect: badRequest },
  { name: 'GET mutation', request: { method: 'GET', search: `query=${encodeURIComponent('mutation { __typename }')}`, headers: { 'apollo-require-preflight': '1' } }, expect: { status: 405, code: 'BAD_REQUEST' } },
  { name: '2 MB body', request: { body: op(`{ __typename } #${'x'.repeat(2 * 1024 * 1024)}`) }, expect: { status: 413, code: 'BAD_REQUEST' } },
  { name: '10 MB body', request: { body: 'x'.repeat(10 * 1024 * 1024) }, expect: { status: 413, code: 'BAD_REQUEST' } },
  // Documents.
  { name: 'syntax error', request: { body: op('{ salesOrders(first: ) }') }, expect: { status: 400, code: 'GRAPHQL_PARSE_FAILED' } },
  { name: 'NUL character', request: { body: op('\u0000') }, expect: { status: 400, code: 'GRAPHQL_PARSE_FAILED' } },
  { name: 'more than 50,000 tokens', request: { body: op(`{ ${'__typename '.repeat(60_000)} }`) }, expect: { status: 400, code: 'GRAPHQL_PARSE_FAILED' } },
  { name: 'unknown field', request: { body: op('{ nope }') }, expect: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' } },
  { name: 'unknown operation name', request: { body: op('query A { __typename }', { operationName: 'B' }) }, expect: badRequest },
  { name: 'two operations, no name', request: { body: op('query A { __typename } query B { __typename }') }, expect: badRequest },
  { name: 'repeated directive x1000', request: { body: op(`{ __typename ${'@include(if: true) '.repeat(1000)} }`) }, expect: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' } },
  // Limits.
  { name: 'depth 16', request: { body: op(deep(16)) }, expect: tooComplex('depth') },
  { name: 'depth 100', request: { body: op(deep(100)) }, expect: { ...tooComplex('depth'), extensions: { measure: 'depth', limit: 15, actual: 100 } } },
  { name: '31 aliases', request: { body: op(`{ salesOrder(id: "1") { ${repeat(31, (i) => `a${i}: number`)} } }`) }, expect: tooComplex('aliases') },
  { name: '10,000 aliases', request: { body: op(`{ salesOrder(id: "1") { ${repeat(10_000, (i) => `a${i}: number`)} } }`) }, expect: { ...tooComplex('aliases'), extensions: { limit: 30, actual: 10_000 } } },
  { name: '21 root fields', request: { body: op(`{ ${repeat(21, (i) => `r${i}: __typename`)} }`) }, expect: tooComplex('rootFields') },
  { name: '40,000 identical fields', request: { body: op(`{ ${'__typename '.repeat(40_000)} }`) }, expect: tooComplex('rootFields') },
  { name: 'fragment cycle', request: { body: op('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }') }, expect: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' } },
  { name: 'self-spreading fragment', request: { body: op('{ salesOrder(id: "1") { ...S } } fragment S on SalesOrder { id ...S }') }, expect: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' } },
  { name: 'unknown fragment', request: { body: op('{ ...Missing }') }, expect: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' } },
  { name: 'fragment bomb (2^40 root fields)', request: { body: op(bomb('{ SPREAD }', 'Query', '__typename')) }, expect: tooComplex('rootFields') },
  { name: 'fragment bomb inside a field', request: { body: op(bomb('{ salesOrder(id: "1") { SPREAD } }', 'SalesOrder', '__typename')) }, expect: tooComplex('cost') },
  { name: 'first: 1000000', request: { body: op('{ salesOrders(first: 1000000) { nodes { id } } }') }, expect: { ...tooComplex('cost'), extensions: { limit: 50_000, actual: 1_000_002 } } },
  { name: 'first: 1000000 in a variable', request: { body: op('query ($n: Int) { salesOrders(first: $n) { nodes { id } } }', { variables: { n: 1_000_000 } }) }, expect: tooComplex('cost') },
  { name: 'nested lists multiply', request: { body: op('{ salesOrders(first: 1000) { nodes { workOrders { operations { name } } } } }') }, expect: tooComplex('cost') },
  // Variables.
  { name: 'variable of the wrong type', request: { body: op('query ($n: Int!) { salesOrders(first: $n) { totalCount } }', { variables: { n: 'abc' } }) }, expect: { status: 400, code: 'BAD_USER_INPUT' } },
  { name: 'missing required variable', request: { body: op('query ($n: Int!) { salesOrders(first: $n) { totalCount } }') }, expect: { status: 400, code: 'BAD_USER_INPUT' } },
  { name: '100 KB of variables', request: { body: op('query ($id: ID!) { salesOrder(id: $id) { id } }', { variables: { id: 'x'.repeat(100_000) } }) }, expect: { ...badRequest, extensions: { limit: 65_536 } } },
  // Batching (on, at most 10 operations).
  { name: 'batch of 2', request: { body: [op('{ __typename }'), op('{ __typename }')] }, expect: ok },
  { name: 'batch of 11', request: { body: Array.from({ length: 11 }, () => op('{ __typename }')) }, expect: { ...badRequest, extensions: { limit: 10, actual: 11 } } },
  { name: 'batch of 10,000', request: { body: Array.from({ length: 10_000 }, () => op('{ __typename }')) }, expect: badRequest },
  { name: 'empty batch', request: { body: [] }, expect: badRequest },
  { name: 'batch hiding a costly operation', request: { body: [op('{ __typename }'), op('{ salesOrders(first: 1000000) { nodes { id } } }')] }, expect: tooComplex('cost') },
  // Persisted operations, default profile (APQ on, no allowlist).
  { name: 'APQ: unknown hash', request: { body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } } }, expect: { status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' } },
  { name: 'APQ: hash does not match the query', request: { body: op('{ __typename }', { extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } }) }, expect: { status: 400 } },
  { name: 'APQ: unsupported version', request: { body: { extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } } }, expect: { status: 400 } },
  { name: 'unknown documentId', request: { body: { documentId: 'nope' } }, expect: { status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' } },
  { name: 'documentId not a string', request: { body: { documentId: 7 } }, expect: badRequest },
  // Allowlist profile.
  { name: 'allowlist: listed documentId', profile: 'allowlist', request: { body: { documentId: 'orders-v1', variables: { first: 2 } } }, expect: ok },
  { name: 'allowlist: listed id (Relay style)', profile: 'allowlist', request: { body: { id: 'machines-v1' } }, expect: ok },
  { name: 'allowlist: listed document sent in full', profile: 'allowlist', request: { body: op(LISTED['machines-v1']) }, expect: ok },
  { name: 'allowlist: APQ hash of a listed document', profile: 'allowlist', request: { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(LISTED['machines-v1']) } } } }, expect: ok },
  { name: 'allowlist: unlisted document', profile: 'allowlist', request: { body: op('{ salesOrders(first: 1) { nodes { number } } }') }, expect: { status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' } },
  { name: 'allowlist: unknown documentId', profile: 'allowlist', request: { body: { documentId: 'orders-v2' } }, expect: { status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' } },
  { name: 'allowlist: unknown APQ hash', profile: 'allowlist', request: { body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'c'.repeat(64) } } } }, expect: { status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' } },
  { name: 'allowlist: APQ registration of an unlisted document', profile: 'allowlist', request: { body: op('{ __typename }', { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } } }) }, expect: { status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' } },
  { name: 'allowlist: unlisted document over GET', profile: 'allowlist', request: { method: 'GET', search: 'query=%7B__typename%7D', headers: { 'apollo-require-preflight': '1' } }, expect: { status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' } },
  { name: 'allowlist: batch with one unlisted operation', profile: 'allowlist', request: { body: [{ documentId: 'machines-v1' }, op('{ __typename }')] }, expect: { status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' } },
];

import { createHash } from 'node:crypto';
import { signIdentity } from '../../../subgraphs/common/identity';
import { AUDIENCE, claims, hs256, ISSUER, now, SECRET, unsigned } from '../auth/tokens';

/** The secured profile's settings: gateway tokens as tokens.ts signs them, and the gateway↔subgraph secret. */
export const SECURED_ENV = {
  AUTH_JWT_SECRET: SECRET,
  AUTH_ISSUER: ISSUER,
  AUTH_AUDIENCE: AUDIENCE,
  IDENTITY_SIGNING_SECRET: 'identity-secret-0123456789-abcdefghij',
};

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
  /** `secured`: a stack with authentication on and signed identity headers between gateway and subgraphs. */
  profile?: 'default' | 'allowlist' | 'secured';
  /** Where the request goes: the gateway (default), or straight to a subgraph of the profile's stack. */
  target?: 'gateway' | 'erp' | 'mes';
  request: HostileRequest;
  expect: { status: number; code?: string | null; extensions?: Record<string, unknown> };
}

/** A graphql-ws connection attempt and the close code the gateway must answer it with. */
export interface HostileSocketCase {
  name: string;
  connectionParams: Record<string, unknown>;
  expectCloseCode: number;
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
  // Tokens at the secured gateway (401 before any subgraph is called; a valid token lacking a scope: FORBIDDEN field).
  ...tokenCases(),
  // Straight to the subgraphs, bypassing the gateway: no valid signed identity, no answer.
  ...identityHeaderCases(),
];

function tokenCases(): HostileCase[] {
  const orders = op('{ salesOrders(first: 1) { totalCount } }');
  const bearer = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
  const refused = { status: 401, code: 'UNAUTHENTICATED' };
  const cases: [string, Record<string, string>, HostileCase['expect']][] = [
    ['token: valid, with the scope', bearer(hs256(claims())), ok],
    ['token: none, on a field needing a signed-in caller', { 'content-type': 'application/json' }, { status: 200, code: 'UNAUTHENTICATED' }],
    ['token: valid, without the scope', bearer(hs256(claims({ scope: 'production:read' }))), { status: 200, code: 'FORBIDDEN' }],
    ['token: expired', bearer(hs256(claims({ exp: now() - 600 }))), refused],
    ['token: not yet valid', bearer(hs256(claims({ nbf: now() + 600 }))), refused],
    ['token: forged signature', bearer(hs256(claims(), 'another-secret-0123456789-abcdefghijk')), refused],
    ['token: alg none', bearer(unsigned(claims())), refused],
    ['token: signature stripped', bearer(hs256(claims()).split('.').slice(0, 2).join('.') + '.'), refused],
    ['token: wrong audience', bearer(hs256(claims({ aud: 'someone-else' }))), refused],
    ['token: wrong issuer', bearer(hs256(claims({ iss: 'https://evil.example' }))), refused],
    ['token: no exp', bearer(hs256(claims({ exp: undefined }))), refused],
    ['token: malformed', bearer('not.a.jwt'), refused],
    ['token: garbage', bearer('x'.repeat(5000)), refused],
    ['token: Basic scheme', { 'content-type': 'application/json', authorization: 'Basic YWxpY2U6c2VjcmV0' }, refused],
  ];
  return cases.map(([name, headers, expect]) => ({ name, profile: 'secured', request: { body: orders, headers }, expect }));
}

function identityHeaderCases(): HostileCase[] {
  const staff = { sub: 'mallory', scopes: ['orders:read', 'production:read'] };
  const forged = signIdentity(staff, 'not-the-identity-secret-0123456789-abc');
  const expired = signIdentity(staff, SECURED_ENV.IDENTITY_SIGNING_SECRET, Date.now() - 3_600_000);
  const tampered = (() => {
    const [, mac] = signIdentity(staff, SECURED_ENV.IDENTITY_SIGNING_SECRET).split('.');
    const widened = Buffer.from(JSON.stringify({ ...staff, scopes: ['*'], exp: now() + 60 })).toString('base64url');
    return `${widened}.${mac}`;
  })();
  const queries = {
    erp: op('{ salesOrders(first: 1) { totalCount } }'),
    mes: op('{ workOrders(first: 1) { totalCount } }'),
  };
  const entities = op('query ($r: [_Any!]!) { _entities(representations: $r) { ... on SalesOrder { id } } }', {
    variables: { r: [{ __typename: 'SalesOrder', id: 'SO-000001' }] },
  });
  const headers: [string, Record<string, string>][] = [
    ['no identity header', {}],
    ['forged identity header', { 'x-forge-identity': forged }],
    ['expired identity header', { 'x-forge-identity': expired }],
    ['tampered identity header', { 'x-forge-identity': tampered }],
    ['malformed identity header', { 'x-forge-identity': 'eyJzdWIiOiJ4In0' }],
  ];
  return (['erp', 'mes'] as const).flatMap((target) => [
    ...headers.map(([what, extra]): HostileCase => ({
      name: `${target} subgraph direct: ${what}`,
      profile: 'secured',
      target,
      request: { body: queries[target], headers: { 'content-type': 'application/json', ...extra } },
      expect: { status: 401, code: 'UNAUTHENTICATED' },
    })),
    {
      name: `${target} subgraph direct: _entities with a forged identity`,
      profile: 'secured',
      target,
      request: { body: entities, headers: { 'content-type': 'application/json', 'x-forge-identity': forged } },
      expect: { status: 401, code: 'UNAUTHENTICATED' },
    },
  ]);
}

/** Subscriptions at the secured gateway with bad tokens: refused on connection_init with 4401. */
export const HOSTILE_SOCKETS: HostileSocketCase[] = [
  { name: 'subscription: expired token', connectionParams: { authorization: `Bearer ${hs256(claims({ exp: now() - 600 }))}` }, expectCloseCode: 4401 },
  { name: 'subscription: forged token', connectionParams: { authorization: `Bearer ${hs256(claims(), 'another-secret-0123456789-abcdefghijk')}` }, expectCloseCode: 4401 },
  { name: 'subscription: alg none', connectionParams: { token: unsigned(claims()) }, expectCloseCode: 4401 },
  { name: 'subscription: malformed token', connectionParams: { authorization: 'Bearer nope' }, expectCloseCode: 4401 },
];

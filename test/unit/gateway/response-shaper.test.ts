import { buildSchema as buildFederationSchema, operationFromDocument } from '@apollo/federation-internals';
import { computeResponse } from '@apollo/gateway/dist/resultShaping';
import {
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileShape, shapeResponse } from '../../../gateway/execution/response-shaper';
import { writeResponse } from '../../../gateway/execution/response-writer';
import { JsonBody } from '../../../subgraphs/common/json-body';

/**
 * forge's compiled result shaping must answer exactly as @apollo/gateway's computeResponse: the same data and the
 * same errors, for well-formed subgraph data and for every kind of malformed data (nulls in non-null positions,
 * wrong leaf types, unknown enum values and __typenames, lists where objects belong). Differential: both run on
 * the same seeded random inputs.
 */
const SDL = `
  scalar DateTime
  enum Status { OPEN CLOSED }
  interface Node { id: ID! }
  interface Named { name: String }
  type Query {
    order(id: ID!): Order
    orders: [Order!]!
    nodes: [Node]
    search: [Result!]
    count: Int
    ratio: Float!
  }
  type Order implements Node & Named {
    id: ID!
    name: String
    status: Status!
    placedAt: DateTime
    total: Float
    lines: [Line!]
    tags: [String]
    customer: Customer
  }
  type Customer implements Node & Named { id: ID! name: String vip: Boolean! orders: [Order] }
  type Line { no: Int! qty: Int sku: String }
  union Result = Order | Customer
`;

const OPERATIONS: { query: string; variables?: Record<string, unknown> }[] = [
  { query: `{ order(id: "1") { id name status placedAt total lines { no qty sku } tags customer { id name vip } } }` },
  { query: `{ orders { __typename id status total customer { name } } count ratio }` },
  { query: `{ nodes { __typename id ... on Order { status lines { no } } ... on Customer { vip } ...N } } fragment N on Named { name }` },
  { query: `{ search { kind: __typename ... on Order { id st: status } ... on Customer { id vip orders { id } } } }` },
  { query: `query($a: Boolean!, $b: Boolean = true) { orders { id name @include(if: $a) total @skip(if: $b) customer @include(if: $b) { id } } }`, variables: { a: true } },
  { query: `query($a: Boolean!) { orders { id name @include(if: $a) customer @skip(if: $a) { id } } }`, variables: { a: false } },
  { query: `{ first: order(id: "1") { id name } second: order(id: "2") { id x: name y: name lines { no } lines { qty } } }` },
  { query: `{ orders { ... on Order { id ... on Node { id } } customer { ... on Named { name } } } }` },
  // Response names that Object.prototype also has must stay plain fields of the answer; names that Array.prototype
  // or String.prototype has must not be read off a list or a string sent where an object belongs.
  { query: `{ orders { keys: name map: id constructor: id __proto__: name toString: status customer { find: name hasOwnProperty: name search: id } } }` },
  // As a client library sends it: __typename and id in every selection and again in its fragments, some skipped.
  {
    query: `query($a: Boolean!) { nodes { __typename id ...O ... on Customer { __typename id @include(if: $a) name } } }
      fragment O on Order { __typename id @skip(if: $a) status name customer { __typename id ...C } }
      fragment C on Customer { __typename id name vip }`,
    variables: { a: true },
  },
];

/** The operations response-writer.ts takes: the other asks for an object twice under one name (`lines`). */
const STREAMABLE = new Set([0, 1, 2, 3, 4, 5, 7, 8, 9].map((i) => OPERATIONS[i]!.query));

const TYPENAMES = ['Order', 'Customer', 'Line', 'Nope', 7] as const;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Response names the operations use for aliases: the data carries them as a subgraph answer would. */
const ALIASES: Record<string, string> = {
  kind: '__typename',
  st: 'status',
  x: 'name',
  y: 'name',
  first: 'order',
  second: 'order',
  constructor: 'id',
  ['__proto__']: 'name',
  toString: 'status',
  hasOwnProperty: 'name',
  map: 'id',
  keys: 'name',
  find: 'name',
  search: 'id',
};
const WRONG = ['HALF', 2.5, 'x', true, 7, '12', { a: 1 }, [1]];
const AWKWARD_STRINGS = ['say "hi"', 'back\\slash', 'tab\tnew\nline', '\u0000\u001f\u007f', 'Grüße', '\u2028\u2029', 'lone \ud800', '🙂 ok', ''];

/**
 * Subgraph-like data for a schema type: well-formed, except that each value is replaced by a fault (null, missing,
 * a wrong kind of value, an unknown __typename) with probability `fault`, so that every rule is reached in depth.
 */
function generate(schema: GraphQLSchema, type: GraphQLOutputType, rnd: () => number, fault: number, depth: number): unknown {
  if (rnd() < fault) return rnd() < 0.5 ? null : WRONG[Math.floor(rnd() * WRONG.length)];
  if (isNonNullType(type)) return generate(schema, type.ofType, rnd, fault, depth);
  if (isListType(type)) return Array.from({ length: Math.floor(rnd() * 3) }, () => generate(schema, type.ofType, rnd, fault, depth));
  if (isAbstractType(type)) {
    const possible = schema.getPossibleTypes(type);
    return generate(schema, possible[Math.floor(rnd() * possible.length)]!, rnd, fault, depth);
  }
  if (isObjectType(type)) {
    if (depth > 3) return null;
    const object: Record<string, unknown> = {};
    const roll = rnd();
    if (roll > fault * 2) object.__typename = type.name;
    else if (roll > fault) object.__typename = rnd() < 0.5 ? 'Nope' : 'Line';
    for (const [name, field] of Object.entries(type.getFields())) {
      if (rnd() < fault) continue; // missing
      object[name] = generate(schema, field.type, rnd, fault, depth + 1);
    }
    for (const [alias, field] of Object.entries(ALIASES)) {
      if (field in object) Object.defineProperty(object, alias, { value: object[field], writable: true, enumerable: true, configurable: true });
    }
    return object;
  }
  if (isEnumType(type)) return type.getValues()[Math.floor(rnd() * type.getValues().length)]!.value;
  switch ((type as { name: string }).name) {
    case 'ID':
      return rnd() < 0.8 ? String(Math.floor(rnd() * 100)) : Math.floor(rnd() * 100);
    case 'Int':
      return Math.floor(rnd() * 100);
    case 'Float':
      return rnd() * 100;
    case 'Boolean':
      return rnd() < 0.5;
    case 'String':
      // Now and then one that JSON must escape, or that is more than one byte per character in UTF-8.
      return rnd() < 0.8 ? `s${Math.floor(rnd() * 100)}` : AWKWARD_STRINGS[Math.floor(rnd() * AWKWARD_STRINGS.length)];
    default:
      return rnd() < 0.5 ? '2026-01-01T00:00:00Z' : { custom: true };
  }
}

type Outcome = { data?: unknown; errors?: { message: string; path?: readonly (string | number)[]; code?: unknown }[]; threw?: boolean };

function normalise(result: { data: unknown; errors: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] }): Outcome {
  const errors = result.errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }));
  errors.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { data: JSON.parse(JSON.stringify(result.data ?? null)), errors };
}

describe('compiled response shaping', () => {
  // Both sides build a GraphQLError per fault; their stack traces are most of the run time and not compared.
  const stackTraceLimit = Error.stackTraceLimit;
  beforeAll(() => (Error.stackTraceLimit = 0));
  afterAll(() => (Error.stackTraceLimit = stackTraceLimit));
  const federationSchema = buildFederationSchema(SDL);
  const schema = federationSchema.toGraphQLJSSchema();

  it.each(OPERATIONS.map((op, i) => [i, op] as const))('operation %i equals Apollo computeResponse on 300 random inputs', (_i, { query, variables }) => {
    const document = parse(query);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    );
    const apolloOperation = operationFromDocument(federationSchema, document, { validate: false });
    const compiled = compileShape(schema, operation, fragments);
    const rnd = random(1234 + query.length);
    let withData = 0;
    let withErrors = 0;
    let streamed = 0;
    for (let n = 0; n < 300; n++) {
      // A third of the inputs are well-formed; the rest carry faults at random depths.
      const input = generate(schema, schema.getQueryType()!, rnd, n % 3 === 0 ? 0 : 0.03, 0) as Record<string, unknown>;
      const run = (f: () => { data: unknown; errors: readonly { message: string }[] }): Outcome => {
        try {
          return normalise(f() as never);
        } catch {
          return { threw: true };
        }
      };
      const expected = run(() => computeResponse({ operation: apolloOperation, variables, input: structuredClone(input), introspectionHandling: () => null }));
      const actual = run(() => shapeResponse(schema, compiled, variables, structuredClone(input)));
      // toEqual on every case is slow; it runs (and prints the case) only when the outcomes differ.
      if (JSON.stringify(actual) !== JSON.stringify(expected)) expect({ n, input, outcome: actual }).toEqual({ n, input, outcome: expected });
      if (compiled.streamable && input) {
        // response-writer.ts (never given a missing input: the gateway's merged data is always an object): the same data as JSON bytes (JsonBody's serialization of shapeResponse's), the same errors.
        const written = run(() => {
          const { bytes, errors } = writeResponse(schema, compiled, variables, structuredClone(input));
          return { data: bytes ? JSON.parse(bytes.toString('utf8')) : null, errors };
        });
        if (JSON.stringify(written) !== JSON.stringify(actual)) expect({ n, input, outcome: written }).toEqual({ n, input, outcome: actual });
        if (!actual.threw) {
          const bytes = writeResponse(schema, compiled, variables, structuredClone(input)).bytes;
          const data = shapeResponse(schema, compiled, variables, structuredClone(input)).data;
          expect({ n, bytes: bytes?.toString('utf8') ?? null }).toEqual({ n, bytes: data ? JsonBody.of(data).toString().slice(0, -1) : null });
        }
        streamed += 1;
      }
      if (expected.data) withData += 1;
      if (expected.errors?.length) withErrors += 1;
    }
    // The inputs reach both outcomes: data that survives, and faults that are reported.
    expect(withData).toBeGreaterThan(20);
    expect(withErrors).toBeGreaterThan(20);
    if (STREAMABLE.has(query)) expect(streamed).toBeGreaterThan(250); // all but the missing inputs
    else expect(streamed).toBe(0);
  });

  it('writes straight to JSON exactly the operations that ask for each response name once per selection', () => {
    for (const { query } of OPERATIONS) {
      const document = parse(query);
      const fragments = Object.fromEntries(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
      );
      const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
      expect({ query, streamable: compileShape(schema, operation, fragments).streamable }).toEqual({ query, streamable: STREAMABLE.has(query) });
    }
  });

  it('keeps the response order of the operation and copies nothing it was not asked for', () => {
    const document = parse(`{ order(id: "1") { total id extra: name } }`);
    const compiled = compileShape(schema, document.definitions[0] as OperationDefinitionNode, {});
    const { data, errors } = shapeResponse(schema, compiled, {}, { order: { id: '1', name: 'n', extra: 'e', total: 2, secret: 's' } });
    expect(errors).toEqual([]);
    expect(JSON.stringify(data)).toBe('{"order":{"total":2,"id":"1","extra":"e"}}');
  });

  it('answers aliases named like Object.prototype members as own fields, leaving the prototype alone', () => {
    const document = parse(`{ order(id: "1") { __proto__: name constructor: id toString: __typename } }`);
    const compiled = compileShape(schema, document.definitions[0] as OperationDefinitionNode, {});
    const input = JSON.parse('{"order":{"__proto__":"n","constructor":"1","toString":"Order"}}') as Record<string, unknown>;
    const { data, errors } = shapeResponse(schema, compiled, {}, input);
    expect(errors).toEqual([]);
    expect(JSON.stringify(data)).toBe('{"order":{"__proto__":"n","constructor":"1","toString":"Order"}}');
    const order = (data as { order: object }).order;
    expect(Object.getPrototypeOf(order)).toBe(Object.prototype);
  });

  it('reads nothing but own fields off a list sent where an object belongs, shaping and writing alike', () => {
    const document = parse(`{ order(id: "1") { keys: name map: id customer { find: name } } }`);
    const compiled = compileShape(schema, document.definitions[0] as OperationDefinitionNode, {});
    expect(compiled.streamable).toBe(true);
    for (const input of [{ order: ['a', 'b'] }, { order: { keys: 'k', map: '1', customer: [1] } }] as Record<string, unknown>[]) {
      const shaped = shapeResponse(schema, compiled, {}, structuredClone(input));
      const written = writeResponse(schema, compiled, {}, structuredClone(input));
      expect(shaped.data).toEqual(expect.any(Object));
      expect(written.bytes?.toString()).toBe(JSON.stringify(shaped.data));
      expect(written.errors.map((e) => [e.message, e.path])).toEqual(shaped.errors.map((e) => [e.message, e.path]));
    }
  });

  it('propagates a null in a non-null position to the nearest nullable parent with one error', () => {
    const document = parse(`{ orders { id status } count }`);
    const compiled = compileShape(schema, document.definitions[0] as OperationDefinitionNode, {});
    const { data, errors } = shapeResponse(schema, compiled, {}, { orders: [{ id: '1', status: 'OPEN' }, { id: '2', status: null }], count: 3 });
    expect(data).toBeNull(); // orders is [Order!]! under a non-null root field... and Query.orders is non-null
    expect(errors.map((e) => [e.message, e.path])).toEqual([['Cannot return null for non-nullable field Order.status.', ['orders', 1, 'status']]]);
  });
});

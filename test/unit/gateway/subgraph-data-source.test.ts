import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphDataSource, SubgraphPools } from '../../../gateway/subgraph-data-source';
import { IDENTITY_HEADER } from '../../../subgraphs/common/identity';

/**
 * SubgraphDataSource.process skips RemoteGraphQLDataSource's per-fetch node-fetch objects. Whatever the subgraph
 * answers, it must behave exactly like Apollo's process running the same data source: the request the subgraph
 * receives, the result, the error thrown (message and extensions) and the cache-policy restriction.
 */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** Never answer (the fetch times out). */
  hang?: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const CASES: Record<string, Answer> = {
  data: { status: 200, headers: JSON_TYPE, body: JSON.stringify({ data: { order: { id: 'SO-1', total: 12.5 } } }) },
  'data and errors': {
    status: 200,
    headers: JSON_TYPE,
    body: JSON.stringify({ data: { order: null }, errors: [{ message: 'no such order', path: ['order'], extensions: { code: 'NOT_FOUND' } }] }),
  },
  'graphql-response+json': { status: 200, headers: { 'content-type': 'application/graphql-response+json; charset=utf-8' }, body: '{"data":{"a":1}}' },
  'public max-age': { status: 200, headers: { ...JSON_TYPE, 'cache-control': 'max-age=60, public' }, body: '{"data":{"a":1}}' },
  'private max-age': { status: 200, headers: { ...JSON_TYPE, 'cache-control': 'private, max-age="5"' }, body: '{"data":{"a":1}}' },
  'odd max-age': { status: 200, headers: { ...JSON_TYPE, 'cache-control': 'max-age=soon' }, body: '{"data":{"a":1}}' },
  '500 with JSON': { status: 500, headers: JSON_TYPE, body: JSON.stringify({ errors: [{ message: 'boom' }] }) },
  '502 with text': { status: 502, headers: { 'content-type': 'text/plain' }, body: 'bad gateway' },
  '401': { status: 401, headers: JSON_TYPE, body: '{"errors":[{"message":"who are you"}]}' },
  '403': { status: 403, headers: { 'content-type': 'text/plain' }, body: 'no' },
  'text body': { status: 200, headers: { 'content-type': 'text/plain' }, body: 'not json' },
  'array body': { status: 200, headers: JSON_TYPE, body: '[1,2]' },
  'malformed JSON': { status: 200, headers: JSON_TYPE, body: '{"data":' },
  timeout: { status: 200, body: '', hang: true },
};

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  identity: string | undefined;
  body: string;
}

let server: http.Server;
let url: string;
const received: Received[] = [];
let answer: Answer = CASES.data!;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method!,
        url: req.url!,
        contentType: req.headers['content-type'],
        identity: req.headers[IDENTITY_HEADER] as string | undefined,
        body: Buffer.concat(chunks).toString(),
      });
      if (answer.hang) return;
      res.writeHead(answer.status, answer.headers ?? {}).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql?x=1`;
});

const pools = new SubgraphPools();
afterAll(async () => {
  await pools.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function dataSource(fetches: string[]) {
  return new SubgraphDataSource({
    name: 'erp',
    url,
    timeoutMs: 300,
    onFetch: (name) => fetches.push(name),
    identityHeader: (context) => ((context as { caller?: string }).caller ? `signed:${(context as { caller: string }).caller}` : null),
    pools,
  });
}

function options(restricted: unknown[], caller?: string): GraphQLDataSourceProcessOptions {
  return {
    kind: 'incoming operation',
    request: { query: 'query Q($id: ID!) { order(id: $id) { id total } }', variables: { id: 'SO-1' }, operationName: 'Q' },
    context: caller ? { caller } : {},
    incomingRequestContext: { overallCachePolicy: { restrict: (hint: unknown) => restricted.push(hint) } },
    pathInIncomingRequest: ['order'],
  } as unknown as GraphQLDataSourceProcessOptions;
}

/** What one process call did: its outcome (http left out: it is the raw response), the request, the restriction. */
async function observe(run: (ds: SubgraphDataSource, opts: GraphQLDataSourceProcessOptions) => Promise<unknown>, caller?: string) {
  received.length = 0;
  const fetches: string[] = [];
  const restricted: unknown[] = [];
  const ds = dataSource(fetches);
  let outcome: unknown;
  try {
    const { http: raw, ...rest } = (await run(ds, options(restricted, caller))) as Record<string, unknown>;
    outcome = { result: rest, status: (raw as { status: number }).status };
  } catch (error) {
    const e = error as Error & { extensions?: unknown };
    outcome = { thrown: e.constructor.name, message: e.message, extensions: e.extensions };
  }
  return { outcome, received: [...received], restricted, fetches };
}

describe('SubgraphDataSource.process', () => {
  for (const [name, caseAnswer] of Object.entries(CASES)) {
    it(`behaves like RemoteGraphQLDataSource.process: ${name}`, async () => {
      answer = caseAnswer;
      for (const caller of [undefined, 'partner-7']) {
        const apollo = await observe((ds, opts) => RemoteGraphQLDataSource.prototype.process.call(ds, opts), caller);
        const forge = await observe((ds, opts) => ds.process(opts), caller);
        expect(forge).toEqual(apollo);
        expect(forge.fetches).toEqual(['erp']);
        expect(forge.received).toHaveLength(1);
        expect(forge.received[0]).toMatchObject({ method: 'POST', url: '/graphql?x=1', contentType: 'application/json', identity: caller ? `signed:${caller}` : undefined });
        expect(JSON.parse(forge.received[0]!.body)).toEqual({ query: 'query Q($id: ID!) { order(id: $id) { id total } }', variables: { id: 'SO-1' }, operationName: 'Q' });
      }
    });
  }

  it('maps a refused connection to SUBGRAPH_UNAVAILABLE like Apollo’s process does', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const make = () => new SubgraphDataSource({ name: 'mes', url: `http://127.0.0.1:${port}/graphql`, timeoutMs: 1000, pools });
    const outcome = async (run: (ds: SubgraphDataSource) => Promise<unknown>) =>
      run(make()).then(
        () => 'resolved',
        (e: Error & { extensions?: unknown }) => ({ message: e.message, extensions: e.extensions }),
      );
    const apollo = await outcome((ds) => RemoteGraphQLDataSource.prototype.process.call(ds, options([])));
    const forge = await outcome((ds) => ds.process(options([])));
    expect(forge).toEqual(apollo);
    expect(forge).toEqual({ message: 'subgraph "mes" could not be reached', extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'mes' } });
  });
});

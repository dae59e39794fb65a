import { ApolloServer, BaseContext, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode } from '../../schema/error-codes';
import { endWithBody } from './json-body';
import type { QueryFastLane } from './query-fast-lane';

/** `request`: the parsed request Apollo is about to run (its body may be edited here, e.g. to resolve a persisted id). */
export type ContextFactory<C> = (req: http.IncomingMessage, request: HTTPGraphQLRequest) => Promise<C>;

/** Default largest body accepted before parsing; bigger requests get 413 without being buffered. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ServeOptions<C extends BaseContext> {
  server: ApolloServer<C>;
  context: ContextFactory<C>;
  port: number;
  host?: string;
  path?: string;
  /** Largest request body in bytes (default 1 MB); a bigger one gets 413 without being buffered. */
  maxBodyBytes?: number;
  /** Extra GET routes (health, metrics) answered before GraphQL. */
  routes?: Record<string, (res: http.ServerResponse) => void>;
  /** Answers repeated queries without Apollo's pipeline (query-fast-lane.ts); Apollo answers the rest. */
  fastLane?: QueryFastLane<C>;
}

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

/**
 * A bare node:http front for Apollo Server. Standalone mode hides the http.Server, and forge needs it
 * (WebSocket upgrades on the same port, health routes, clean shutdown), so this does the same job in the open.
 */
export async function serveGraphQL<C extends BaseContext>(options: ServeOptions<C>): Promise<RunningServer> {
  const { server, context, fastLane, path = '/graphql', routes = {}, maxBodyBytes = MAX_BODY_BYTES } = options;
  await server.start();
  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'internal error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] }));
      server.logger.error(`unhandled request error: ${String(error)}`);
    });
  });
  httpServer.keepAliveTimeout = 65_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { pathname, search } = splitTarget(req.url ?? '/');
    const route = req.method === 'GET' ? routes[pathname] : undefined;
    if (route) return route(res);
    if (pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === TOO_LARGE) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ errors: [{ message: `request body exceeds ${maxBodyBytes} bytes`, extensions: { code: ErrorCode.BAD_REQUEST } }] }));
      return;
    }
    const parsed = parseBody(body, req.headers['content-type']);
    if (parsed instanceof Error) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: parsed.message, extensions: { code: ErrorCode.BAD_REQUEST } }] }));
      return;
    }
    const fast = fastLane && (await fastLane.tryAnswer(req, parsed));
    if (fast) {
      // setHeader, not writeHead: headers still pending at end() get a Content-Length, as Apollo's answers do.
      res.setHeader('content-type', fast.contentType);
      res.end(fast.body);
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const request: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search, body: parsed };
    const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => context(req, request) });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      // A JsonBody where the server's stringifyResult is stringifyAsBytes (the gateway's; json-body.ts).
      endWithBody(res, response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, options.host ?? '0.0.0.0', () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // listen failed (e.g. port in use) after Apollo started: stop it so the caller is left with nothing running.
    await server.stop().catch(() => undefined);
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}${path}`,
    port,
    httpServer,
    async stop() {
      fastLane?.close();
      await server.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** `/health`, `/health/live` and `/health/ready` answering 200 with `body` as JSON. */
export function healthRoutes(body: Record<string, unknown> | (() => Record<string, unknown>)): NonNullable<ServeOptions<BaseContext>['routes']> {
  const healthy = (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(typeof body === 'function' ? body() : body));
  };
  return { '/health': healthy, '/health/live': healthy, '/health/ready': healthy };
}

/**
 * The path and query string of a request target. The usual origin form ("/graphql?x") is split by hand — a WHATWG
 * URL per request showed in the subgraphs' profiles; anything else (an absolute URL from a proxy) is parsed.
 */
function splitTarget(target: string): { pathname: string; search: string } {
  if (!target.startsWith('/') || target.startsWith('//')) {
    const url = new URL(target, 'http://localhost');
    return { pathname: url.pathname, search: url.search };
  }
  const queryAt = target.indexOf('?');
  return queryAt === -1 ? { pathname: target, search: '' } : { pathname: target.slice(0, queryAt), search: target.slice(queryAt) };
}

const TOO_LARGE = Symbol('too large');
/** How much of an oversized body is read and thrown away so that the client gets its 413. */
const DRAIN_FACTOR = 64;

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      chunks.length = 0;
      // Answering while the client is still sending would reset its socket before it reads the 413: drain
      // (discarding) up to a bound, then answer; beyond the bound, cut the connection.
      if (size > maxBytes * DRAIN_FACTOR) {
        resolve(TOO_LARGE);
        req.destroy();
      }
    });
    req.on('end', () => resolve(size > maxBytes ? TOO_LARGE : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(body: string, contentType: string | undefined): unknown | Error {
  if (body.length === 0) return undefined;
  const type = contentType ?? '';
  if (!type.startsWith('application/json') && !type.startsWith('application/graphql-response+json')) {
    return body;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return new Error('request body is not valid JSON');
  }
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Doc } from '../../subgraphs/erp/backend/erpnext/doctypes';
import type { RunningServer } from '../../subgraphs/common/http-server';
import { anchoredClock, type Clock } from '../../subgraphs/common/clock';
import { loadWorld } from '../dataset/load-world';
import type { World, WorldOptions } from '../dataset/world';
import { worldTables } from './documents';
import { FrappeQueryError, parseFields, parseFilters, parseOrderBy, project } from './query';
import { FakeErpNextStore, ValidationFailure } from './store';

/** Test-time misbehaviour; every field applies to `/api/*` calls only (the admin routes always answer). */
export interface Faults {
  /** Answer every call with this HTTP status (e.g. 500, 503) and an ERPNext-style error body. */
  status?: number;
  /** Wait this long before answering (beyond the adapter's timeout, to test it). */
  delayMs?: number;
  /** Refuse every token with 401, as ERPNext does for a revoked API key. */
  refuseToken?: boolean;
  /** Limit `status` / `delayMs` to these DocTypes (absent: all). */
  doctypes?: string[];
}

export interface FakeErpNextOptions {
  world: World;
  apiKey: string;
  apiSecret: string;
  /** Stamps created documents; defaults to a clock starting at the world's anchor, like the in-memory mock. */
  clock?: Clock;
  faults?: Faults;
}

export interface LoggedRequest {
  method: string;
  /** DocType (or method name) the call addressed. */
  target: string;
  url: string;
  status: number;
}

export interface FakeErpNext extends RunningServer {
  /** Origin to give the adapter as ERP_URL. */
  origin: string;
  store: FakeErpNextStore;
  /** Every `/api/*` request since start or the last `resetLog`, in arrival order. */
  requests: LoggedRequest[];
  resetLog(): void;
  setFaults(faults: Faults): void;
}

/**
 * A fake ERPNext site on node:http serving a seeded World in ERPNext's REST shape (`/api/resource`,
 * `frappe.client.get_count`), with token auth, 404/417 like Frappe, fault injection and a request log.
 * Admin routes for other processes: `GET /__fake/requests`, `POST /__fake/reset`, `POST /__fake/faults`.
 */
export async function startFakeErpNext(options: FakeErpNextOptions & { port?: number; host?: string }): Promise<FakeErpNext> {
  const store = new FakeErpNextStore(worldTables(options.world), options.clock ?? anchoredClock(new Date(options.world.anchor)));
  let faults: Faults = options.faults ?? {};
  const requests: LoggedRequest[] = [];
  const token = `token ${options.apiKey}:${options.apiSecret}`;
  // Injected delays end early on stop, so a stopped fake leaves no timer keeping the process alive.
  const delays = new Map<NodeJS.Timeout, () => void>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.set(timer, resolve);
    });

  // Batched reads put up to 1,000 names in the URL (see IN_CHUNK in the adapter): allow 64 KB of headers.
  const server = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { exc_type: 'Exception', exception: String(error) }));
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    if (url.pathname.startsWith('/__fake/')) return admin(req.method ?? 'GET', url.pathname, body, res);
    // Frappe's unauthenticated liveness probe; the launcher and orchestrators wait on it.
    if (url.pathname === '/api/method/ping') return send(res, 200, { message: 'pong' });
    const target = targetOf(url);
    const answer = (status: number, payload: unknown) => {
      requests.push({ method: req.method ?? 'GET', target, url: req.url ?? '', status });
      send(res, status, payload);
    };
    const faulty = faults.doctypes === undefined || faults.doctypes.includes(target);
    if (faulty && faults.delayMs) await delay(faults.delayMs);
    if (res.destroyed) return;
    if (faults.refuseToken || req.headers.authorization !== token) {
      return answer(401, { exc_type: 'AuthenticationError', _server_messages: messages('Invalid API key or secret') });
    }
    if (faulty && faults.status) return answer(faults.status, { exc_type: 'Exception', exception: `injected HTTP ${faults.status}` });
    try {
      const [status, payload] = route(req.method ?? 'GET', url, body);
      answer(status, payload);
    } catch (error) {
      if (error instanceof ValidationFailure) return answer(417, { exc_type: error.excType, _server_messages: messages(error.message) });
      if (error instanceof FrappeQueryError) return answer(417, { exc_type: 'DataError', _server_messages: messages(error.message) });
      throw error;
    }
  }

  function route(method: string, url: URL, body: string): [number, unknown] {
    const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (segments[0] === 'api' && segments[1] === 'method' && segments[2] === 'frappe.client.get_count' && method === 'GET') {
      const doctype = url.searchParams.get('doctype') ?? '';
      if (!store.has(doctype)) return notFound(`DocType ${doctype} not found`);
      return [200, { message: rowsOf(doctype).filter(parseFilters(url.searchParams.get('filters'))).length }];
    }
    if (segments[0] !== 'api' || segments[1] !== 'resource' || segments.length < 3 || segments.length > 4) return notFound('Page not found');
    const doctype = segments[2]!;
    if (!store.has(doctype)) return notFound(`DocType ${doctype} not found`);
    const name = segments[3];
    if (name === undefined && method === 'GET') return [200, { data: list(doctype, url.searchParams) }];
    if (name === undefined && method === 'POST') return [200, { data: store.insert(doctype, parseDoc(body)) }];
    if (name !== undefined && method === 'GET') {
      const doc = store.find(doctype, name);
      return doc ? [200, { data: doc }] : notFound(`${doctype} ${name} not found`);
    }
    if (name !== undefined && method === 'PUT') {
      const doc = store.update(doctype, name, parseDoc(body));
      return doc ? [200, { data: doc }] : notFound(`${doctype} ${name} not found`);
    }
    return [405, { exc_type: 'Exception', exception: `${method} not allowed` }];
  }

  function rowsOf(doctype: string): Doc[] {
    return store.tables.has(doctype) ? store.table(doctype) : store.childRows(doctype);
  }

  function list(doctype: string, params: URLSearchParams): Doc[] {
    // Frappe refuses to list a child DocType unless the caller names the parent it reads through.
    if (!store.tables.has(doctype) && !params.get('parent')) throw new ValidationFailure('PermissionError', `Not permitted: ${doctype} needs parent`);
    const fields = parseFields(params.get('fields'));
    const start = Number(params.get('limit_start') ?? 0);
    const length = Number(params.get('limit_page_length') ?? 20);
    const rows = rowsOf(doctype).filter(parseFilters(params.get('filters'))).sort(parseOrderBy(params.get('order_by')));
    // limit_page_length 0 means "no limit" in Frappe.
    return rows.slice(start, length > 0 ? start + length : undefined).map((doc) => project(doc, fields));
  }

  function admin(method: string, path: string, body: string, res: http.ServerResponse): void {
    if (path === '/__fake/requests' && method === 'GET') return send(res, 200, { count: requests.length, requests });
    if (path === '/__fake/reset' && method === 'POST') {
      requests.length = 0;
      return send(res, 200, { ok: true });
    }
    if (path === '/__fake/faults' && method === 'POST') {
      faults = parseDoc(body) as Faults;
      return send(res, 200, { faults });
    }
    send(res, 404, { exc_type: 'DoesNotExistError' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://localhost:${port}`;
  return {
    url: origin,
    origin,
    port,
    httpServer: server,
    store,
    requests,
    resetLog: () => void (requests.length = 0),
    setFaults: (next) => void (faults = next),
    async stop() {
      for (const [timer, resolve] of delays) {
        clearTimeout(timer);
        resolve();
      }
      delays.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The fake on a world generated from (seed, scale), as the process entry and tests build it. */
export function fakeErpNextWorld(options: WorldOptions): World {
  return loadWorld(options);
}

function targetOf(url: URL): string {
  const segments = url.pathname.split('/').map(decodeURIComponent);
  if (segments[2] === 'resource') return segments[3] ?? '';
  return url.searchParams.get('doctype') ?? segments[3] ?? '';
}

/** Frappe's `_server_messages`: a JSON list of JSON-encoded message objects. */
const messages = (message: string) => JSON.stringify([JSON.stringify({ message, title: 'Message', indicator: 'red' })]);
const notFound = (message: string): [number, unknown] => [404, { exc_type: 'DoesNotExistError', _server_messages: messages(message) }];

function parseDoc(body: string): Doc {
  try {
    const parsed = JSON.parse(body || '{}') as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Doc;
  } catch {
    // fall through
  }
  throw new ValidationFailure('ValidationError', 'Request body must be a JSON object');
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

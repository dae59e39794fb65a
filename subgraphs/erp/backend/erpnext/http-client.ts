import { Pool } from 'undici';
import { errorForStatus, errorForTransport, type FrappeErrorBody } from './errors';

export interface ErpNextConnectionOptions {
  /** Base URL of the ERPNext site, e.g. `https://erp.example.com`. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Per HTTP request, headers and body included. */
  timeoutMs: number;
  /** Keep-alive sockets to the site; the subgraph's concurrent requests share them. */
  connections?: number;
}

export type QueryValue = string | number | undefined;

/** What callers may say about an error answer before it becomes a GraphQL error. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: FrappeErrorBody | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * The one place that talks HTTP to ERPNext: a keep-alive undici Pool, the token header, a timeout on every
 * request, and every failure turned into a typed GraphQL error (never an unhandled rejection).
 */
export class ErpNextHttp {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly authorization: string;

  constructor(private readonly options: ErpNextConnectionOptions) {
    const url = new URL(options.url);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.authorization = `token ${options.apiKey}:${options.apiSecret}`;
    this.pool = new Pool(url.origin, { connections: options.connections ?? 16, keepAliveTimeout: 30_000 });
  }

  get<T>(path: string, query: Record<string, QueryValue> = {}, what = path): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const qs = search.toString();
    return this.request<T>('GET', qs ? `${path}?${qs}` : path, undefined, what);
  }

  send<T>(method: 'POST' | 'PUT', path: string, body: unknown, what = path): Promise<T> {
    return this.request<T>(method, path, JSON.stringify(body), what);
  }

  /**
   * Like `get`/`send` but a 404 or a chosen error answer comes back as a HttpStatusError for the caller to
   * interpret (a missing document is a null, a timestamp mismatch is a lost compare-and-set).
   */
  async raw<T>(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, what: string, passThrough: (status: number) => boolean): Promise<T | HttpStatusError> {
    return this.request<T>(method, path, body === undefined ? undefined : JSON.stringify(body), what, passThrough);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async request<T>(method: string, path: string, body: string | undefined, what: string, passThrough?: (status: number) => boolean): Promise<T> {
    const headers: Record<string, string> = { authorization: this.authorization, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      // One signal covers connect, headers and body: a slow ERP costs at most timeoutMs per call.
      const response = await this.pool.request({ method: method as 'GET', path: this.basePath + path, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw errorForTransport(error, what, this.options.timeoutMs);
    }
    const parsed = parseJson(text);
    if (status >= 200 && status < 300) {
      if (parsed === undefined) throw errorForStatus(502, undefined, `${what} (answer is not JSON)`);
      return parsed as T;
    }
    const errorBody = typeof parsed === 'object' && parsed !== null ? (parsed as FrappeErrorBody) : undefined;
    if (passThrough?.(status)) return new HttpStatusError(status, errorBody) as T;
    throw errorForStatus(status, errorBody, what);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parseCacheControlHeader } from '@apollo/gateway/dist/datasources/parseCacheControlHeader';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import { Pool } from 'undici';
import { ErrorCode } from '../schema/error-codes';
import { IDENTITY_HEADER } from '../subgraphs/common/identity';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  /** Called once per HTTP request to a subgraph; tests and metrics count fetches through it. */
  onFetch?: (subgraph: string) => void;
  /** The signed `x-forge-identity` for a request's context (authorization/forward-identity.ts); null: none. */
  identityHeader?: (context: unknown) => string | null;
  /** Keep-alive connection pools by origin, shared by the data sources of successive supergraphs. */
  pools?: SubgraphPools;
}

/** One undici Pool per subgraph origin (keep-alive), closed with the gateway. */
export class SubgraphPools {
  private readonly pools = new Map<string, Pool>();

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: 64, keepAliveTimeout: 30_000 });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close().catch(() => undefined)));
  }
}

const timeoutError = () => Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });

/**
 * One per subgraph. Sends with undici's `request` on a keep-alive Pool (profiling showed Node's WHATWG fetch —
 * Request/Response objects, web streams, AbortSignal.timeout — costing more than the rest of the data source),
 * bounds each fetch by a timeout, and turns transport failures into a SUBGRAPH_UNAVAILABLE error on the affected
 * fields, so the rest of the response is still served.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  private readonly subgraphName: string;
  private readonly identityHeader?: (context: unknown) => string | null;
  private readonly onFetch?: (subgraph: string) => void;
  private readonly pools: SubgraphPools;
  private target?: { pool: Pool; path: string };
  private readonly timeoutMs: number;

  constructor(options: SubgraphDataSourceOptions) {
    const { name, url, timeoutMs, onFetch } = options;
    // RemoteGraphQLDataSource builds the request (JSON body, headers) and parses the answer; this only sends it.
    const fetcher: Fetcher = (input, init) => {
      onFetch?.(name);
      return this.send(init?.method ?? 'POST', (init?.headers ?? {}) as Record<string, string>, String(init?.body ?? ''), String(input)) as never;
    };
    super({ url, fetcher });
    this.pools = options.pools ?? new SubgraphPools();
    this.timeoutMs = timeoutMs;
    this.subgraphName = name;
    this.identityHeader = options.identityHeader;
    this.onFetch = onFetch;
  }

  /** Every subgraph fetch carries the caller's identity, signed, so the subgraph can scope its rows. */
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions): void {
    const signed = this.identityHeader?.(context);
    if (signed) request.http?.headers.set(IDENTITY_HEADER, signed);
  }

  /**
   * RemoteGraphQLDataSource.process with the same request, answer, errors and cache-policy restriction, minus
   * what it builds and never uses here: a node-fetch Headers and a node-fetch Request (URL parsing included) per
   * fetch, 3–4% of the gateway's CPU on portal. Forge sends no APQ hashes to subgraphs and sets no
   * didReceiveResponse hook; anything that does goes through Apollo's own process.
   */
  override async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    if (this.apq || this.didReceiveResponse || options.request.http) return super.process(options);
    const { request, context } = options;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const signed = this.identityHeader?.(context);
    if (signed) headers[IDENTITY_HEADER] = signed;
    if (!request.query) throw new Error('Missing query');
    const body = JSON.stringify({ query: request.query, ...request, http: undefined });
    let response: PoolResponse | undefined;
    let result: GatewayGraphQLResponse;
    try {
      this.onFetch?.(this.subgraphName);
      response = await this.send('POST', headers, body, this.url);
      if (!response.ok) throw await this.errorFromResponse(response as unknown as FetcherResponse);
      const parsed = await this.parseBody(response as unknown as FetcherResponse);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
      result = { ...parsed, http: response as never };
    } catch (error) {
      this.didEncounterError(error as Error);
      throw error;
    }
    this.restrictCachePolicy(options, response);
    return result;
  }

  /** A subgraph's Cache-Control narrows the response's cache policy (Apollo's honorSubgraphCacheControlHeader). */
  private restrictCachePolicy(options: GraphQLDataSourceProcessOptions, response: PoolResponse): void {
    if (!this.honorSubgraphCacheControlHeader || options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return;
    const policy = options.incomingRequestContext.overallCachePolicy;
    if (!policy || !('restrict' in policy)) return;
    const parsed = parseCacheControlHeader(response.headers.get('cache-control') ?? undefined);
    const maxAge = parsed['max-age'];
    const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? +maxAge : 0 };
    if (parsed['private'] === true) hint.scope = 'PRIVATE';
    if (parsed['public'] === true) hint.scope = 'PUBLIC';
    policy.restrict(hint);
  }

  private async send(method: string, headers: Record<string, string>, body: string, url: string): Promise<PoolResponse> {
    // Resolved on first use: an invalid URL fails that fetch (SUBGRAPH_UNAVAILABLE), as fetch() did.
    if (!this.target) {
      const parsed = new URL(url);
      this.target = { pool: this.pools.get(parsed.origin), path: `${parsed.pathname}${parsed.search}` };
    }
    const { pool, path } = this.target;
    // An EventEmitter is a signal undici accepts, and much cheaper per request than an AbortSignal.
    const signal = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signal.emit('abort');
    }, this.timeoutMs);
    return pool
      .request({ path, method: method as 'POST', headers, body, signal })
      .then(async (res) => new PoolResponse(url, res.statusCode, res.headers, await res.body.text()))
      .catch((error: Error) => {
        throw timedOut ? timeoutError() : error;
      })
      .finally(() => clearTimeout(timer));
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    const reason = error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new GraphQLError(`subgraph "${this.subgraphName}" ${reason}`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraphName },
    });
  }
}

/** The part of a fetch Response that RemoteGraphQLDataSource and the gateway read (status, headers, body). */
class PoolResponse {
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    readonly status: number,
    raw: Record<string, string | string[] | undefined>,
    private readonly bodyText: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_CODES[status] ?? '';
    this.headers = {
      get(name) {
        const value = raw[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  async text(): Promise<string> {
    return this.bodyText;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.bodyText);
  }
}

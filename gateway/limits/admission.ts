import type { HTTPGraphQLRequest } from '@apollo/server';
import { parse, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import type http from 'node:http';
import { DEFAULT_PERSISTED, resolvePersisted, type OperationRequest, type PersistedOptions } from '../persisted/resolve';
import { unlimited, type RateLimiter } from '../rate-limit/token-bucket';
import { Lru } from '../../subgraphs/common/lru';
import { badRequest, rateLimited } from './errors';

/** The identity shape the authentication plugin puts on the context (undefined: anonymous). */
export interface CallerIdentity {
  /** null or absent: anonymous (limited by client address). */
  sub?: string | null;
  scopes: string[];
  tenant?: string;
}

export interface Caller {
  identity: CallerIdentity | undefined;
  /** The client's address: the socket's, or the proxy-reported one with TRUST_PROXY. */
  remoteAddress: string;
}

export interface AdmissionOptions {
  /** Operations one HTTP request may batch (Apollo batching); 1 turns batching off. */
  maxBatchOperations: number;
  persisted: PersistedOptions;
  rateLimiter: RateLimiter;
  /**
   * Checks a parsed but NOT yet validated operation (depth, aliases, root fields, cost). Validation itself can be
   * made exponential (fragment "bombs", thousands of identical fields), so these limits must run before it.
   */
  checkOperation?(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): GraphQLError | undefined;
  /** Parse limit (graphql-js `maxTokens`), as Apollo's. */
  maxTokens?: number;
}

export const DEFAULT_MAX_BATCH_OPERATIONS = 10;

/**
 * What is decided per HTTP request, before Apollo parses anything: the batch size, the caller's rate limit
 * (one token per operation) and persisted operations (resolved into documents in place, or refused). It runs in
 * the context factory: a GraphQLError thrown there becomes the whole response, with the status and headers
 * of its `extensions.http`, and nothing is parsed, planned or fetched.
 */
export function createAdmission(options: Partial<AdmissionOptions> = {}) {
  const maxBatch = options.maxBatchOperations ?? DEFAULT_MAX_BATCH_OPERATIONS;
  const persisted = options.persisted ?? DEFAULT_PERSISTED;
  const limiter = options.rateLimiter ?? unlimited;

  return async function admit(request: HTTPGraphQLRequest | undefined, caller: Caller): Promise<void> {
    const operations = request ? operationsOf(request) : [];
    const count = Array.isArray(request?.body) ? request.body.length : 1;
    if (count > maxBatch) {
      throw badRequest(`a batch may hold at most ${maxBatch} operation(s); this one has ${count}`, { limit: maxBatch, actual: count });
    }
    const decision = await limiter.take(callerKey(caller), count);
    if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
    for (const op of operations) {
      resolvePersisted(op, persisted, caller.identity?.tenant);
      const refusal = options.checkOperation && precheckOperation(op, options.checkOperation, options.maxTokens);
      if (refusal) throw refusal;
    }
    if (request?.method === 'GET' && operations[0]) request.search = toSearch(request.search, operations[0]);
  };
}

/** Parse errors and malformed fields are left to Apollo, which reports them in its own words. */
export function precheckOperation(op: OperationRequest, check: NonNullable<AdmissionOptions['checkOperation']>, maxTokens?: number) {
  if (typeof op.query !== 'string') return undefined;
  const document = parseCached(op.query, maxTokens);
  if (!document) return undefined;
  const operationName = typeof op.operationName === 'string' ? op.operationName : undefined;
  const variables = typeof op.variables === 'object' && op.variables !== null ? (op.variables as Record<string, unknown>) : undefined;
  return check(document, operationName, variables);
}

/** Parsed documents by text (null: does not parse), per token limit: clients send the same few operations. */
const parsedByLimit = new Map<number | undefined, Lru<string, DocumentNode | null>>();
const MAX_PARSED_DOCUMENTS = 1000;
/** Longer texts are parsed every time rather than kept (memory stays bounded by count × this). */
const MAX_CACHED_QUERY_LENGTH = 64 * 1024;

function parseCached(query: string, maxTokens: number | undefined): DocumentNode | null {
  let cache = parsedByLimit.get(maxTokens);
  if (!cache) parsedByLimit.set(maxTokens, (cache = new Lru(MAX_PARSED_DOCUMENTS)));
  const known = cache.get(query);
  if (known !== undefined) return known;
  let document: DocumentNode | null;
  try {
    document = parse(query, { noLocation: true, maxTokens });
  } catch {
    document = null;
  }
  if (query.length <= MAX_CACHED_QUERY_LENGTH) cache.set(query, document);
  return document;
}

export function callerKey(caller: Caller): string {
  return caller.identity?.sub ? `sub:${caller.identity.sub}` : `ip:${caller.remoteAddress}`;
}

/**
 * The client address for rate limits. With `trustProxy` the last `x-forwarded-for` entry (the one the proxy in
 * front of the gateway appended: earlier entries are whatever the client claimed), else the socket address.
 */
export function remoteAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  const address = list.at(-1) ?? req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The operations of a request as editable records: a POST body (one object or a batch) or GET parameters. */
function operationsOf(request: HTTPGraphQLRequest): OperationRequest[] {
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    const op: OperationRequest = {};
    for (const name of ['query', 'documentId', 'id', 'operationName']) if (params.has(name)) op[name] = params.get(name);
    for (const name of ['extensions', 'variables']) {
      const value = params.get(name);
      if (!value) continue;
      try {
        op[name] = JSON.parse(value);
      } catch {
        // Apollo answers malformed parameters with its own 400.
      }
    }
    return [op];
  }
  const body = request.body;
  if (Array.isArray(body)) {
    if (body.length === 0) throw badRequest('an empty batch holds no operation');
    return body.filter(isRecord);
  }
  return isRecord(body) ? [body] : [];
}

function toSearch(search: string, op: OperationRequest): string {
  const params = new URLSearchParams(search);
  for (const name of ['query', 'documentId', 'id']) {
    if (typeof op[name] === 'string') params.set(name, op[name] as string);
    else params.delete(name);
  }
  if (op.extensions !== undefined) params.set('extensions', JSON.stringify(op.extensions));
  return params.toString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

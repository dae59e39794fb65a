import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type http from 'node:http';
import { Lru } from './lru';

/** What the lane answers with: Apollo Server's own bytes and header for a successful single result. */
export interface FastAnswer {
  contentType: string;
  body: string;
}

/** Query texts remembered; a subgraph sees a handful of distinct documents (one per planned fetch shape). */
const MAX_DOCUMENTS = 256;
/** Longer query texts are not remembered: hashing them on every request would cost what the lane saves. */
const MAX_QUERY_CHARS = 16_384;
const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Runs the queries a subgraph has already served once without Apollo Server's request pipeline: a SHA-256 of the
 * query, a dozen plugin hooks, header maps and content negotiation, which made up a fifth to a quarter of a
 * subgraph's CPU per portal request (bench/RESULTS.md, part G).
 *
 * Only what Apollo would answer with a plain 200 takes the lane: a POST whose query text Apollo has parsed,
 * validated (with every rule it applies) and resolved to a query operation before — learnt through `plugin` —
 * with no headers that change the answer's form, and whose execution returns no error. Everything else, and
 * every result with an error, is left to Apollo (the query is read-only, so running it again there is safe), so
 * errors, status codes and all other requests keep exactly Apollo's behaviour.
 *
 * The lane runs each document compiled by graphql-jit: per field, graphql-js's `execute` builds a resolve info,
 * coerces arguments and checks types at run time, which was 40% of the ERP's CPU on a 500-row page (bench/RESULTS.md,
 * part J). Compiled code answers the same bytes (test/integration/compiled-execution.test.ts); where it would
 * report an error, or declines to compile, graphql-js inside Apollo answers, as for any other error.
 */
export class QueryFastLane<C extends BaseContext> {
  private readonly documents = new Lru<string, DocumentNode>(MAX_DOCUMENTS);
  /** Each learnt document compiled once per operation name (null: graphql-jit declined it; never retried). */
  private readonly compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  private open = true;
  /** Requests answered by the lane (tests read it to prove the lane ran). */
  answered = 0;

  /** `context` builds the request's context as the Apollo path does (the subgraphs' factories read only `req`). */
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly context: (req: http.IncomingMessage) => Promise<C>,
  ) {}

  /** Learns each query document that passed Apollo's validation. */
  readonly plugin: ApolloServerPlugin<C> = {
    requestDidStart: async () => ({
      didResolveOperation: async ({ request, document, operation }) => {
        const query = request.query;
        if (operation?.operation !== 'query' || query === undefined || query.length > MAX_QUERY_CHARS) return;
        if (request.extensions?.persistedQuery !== undefined) return;
        this.documents.set(query, document);
      },
    }),
  };

  /**
   * The answer to `body` (the parsed JSON of a POST), or undefined when Apollo must answer. The context is only
   * built once the request qualifies; if that throws (e.g. a refused identity), Apollo answers, with its status.
   */
  async tryAnswer(req: http.IncomingMessage, body: unknown): Promise<FastAnswer | undefined> {
    if (!this.open || req.method !== 'POST' || !qualifyingHeaders(req.headers)) return undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const { query, variables, operationName, extensions } = body as Record<string, unknown>;
    if (typeof query !== 'string' || extensions !== undefined) return undefined;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
    const document = this.documents.get(query);
    if (!document || getOperationAST(document, operationName)?.operation !== 'query') return undefined;

    let contextValue: C;
    try {
      contextValue = await this.context(req);
    } catch {
      return undefined;
    }
    const compiled = this.compile(document, (operationName as string | null | undefined) ?? undefined);
    if (!compiled) return undefined;
    const result = (await compiled.query(undefined, contextValue, (variables ?? {}) as Record<string, unknown>)) as ExecutionResult;
    if (result.errors !== undefined || result.extensions !== undefined) return undefined;
    this.answered++;
    return { contentType: JSON_UTF8, body: `${JSON.stringify({ data: result.data })}\n` };
  }

  private compile(document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
    let byName = this.compiled.get(document);
    if (!byName) this.compiled.set(document, (byName = new Map()));
    const name = operationName ?? '';
    let compiled = byName.get(name);
    if (compiled === undefined) {
      const made = compileQuery(this.schema, document, operationName);
      compiled = isCompiledQuery(made) ? made : null;
      byName.set(name, compiled);
    }
    return compiled;
  }

  /** From now on Apollo answers everything (it refuses requests while it stops). */
  close(): void {
    this.open = false;
  }
}

/**
 * Headers under which Apollo's answer is a plain `application/json; charset=utf-8` body: a JSON request, an
 * accept header absent or `*\/*` (others go through Apollo's negotiation), and no federated-trace request
 * (the inline trace plugin would add an `ftv1` extension).
 */
function qualifyingHeaders(headers: http.IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (type !== 'application/json' && type !== JSON_UTF8) return false;
  const accept = headers.accept;
  if (accept !== undefined && accept !== '*/*') return false;
  return headers['apollo-federation-include-trace'] === undefined;
}

import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
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
}

/**
 * One per subgraph. Uses Node's built-in fetch (undici, pooled keep-alive connections) instead of the
 * default make-fetch-happen, bounds each fetch by a timeout, and turns transport failures into a
 * SUBGRAPH_UNAVAILABLE error on the affected fields, so the rest of the response is still served.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  private readonly subgraphName: string;
  private readonly identityHeader?: (context: unknown) => string | null;

  constructor(options: SubgraphDataSourceOptions) {
    const { name, url, timeoutMs, onFetch } = options;
    const fetcher: Fetcher = (input, init) => {
      onFetch?.(name);
      return fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) } as RequestInit) as never;
    };
    super({ url, fetcher });
    this.subgraphName = name;
    this.identityHeader = options.identityHeader;
  }

  /** Every subgraph fetch carries the caller's identity, signed, so the subgraph can scope its rows. */
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions): void {
    const signed = this.identityHeader?.(context);
    if (signed) request.http?.headers.set(IDENTITY_HEADER, signed);
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    const reason = error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new GraphQLError(`subgraph "${this.subgraphName}" ${reason}`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraphName },
    });
  }
}

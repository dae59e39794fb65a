import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../schema/error-codes';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  /** Called once per HTTP request to a subgraph; tests and metrics count fetches through it. */
  onFetch?: (subgraph: string) => void;
}

/**
 * One per subgraph. Uses Node's built-in fetch (undici, pooled keep-alive connections) instead of the
 * default make-fetch-happen, bounds each fetch by a timeout, and turns transport failures into a
 * SUBGRAPH_UNAVAILABLE error on the affected fields, so the rest of the response is still served.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  private readonly subgraphName: string;

  constructor(options: SubgraphDataSourceOptions) {
    const { name, url, timeoutMs, onFetch } = options;
    const fetcher: Fetcher = (input, init) => {
      onFetch?.(name);
      return fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) } as RequestInit) as never;
    };
    super({ url, fetcher });
    this.subgraphName = name;
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    const reason = error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new GraphQLError(`subgraph "${this.subgraphName}" ${reason}`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraphName },
    });
  }
}

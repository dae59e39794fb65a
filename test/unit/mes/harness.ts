import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import type { Clock } from '../../../subgraphs/common/clock';
import type { MesBackend } from '../../../subgraphs/mes/backend/mes-backend';
import type { EventBus } from '../../../subgraphs/mes/events/event-bus';
import { InMemoryEventBus } from '../../../subgraphs/mes/events/in-memory-event-bus';
import { createMesContext, type MesContext } from '../../../subgraphs/mes/context';
import { buildMesSchema } from '../../../subgraphs/mes/schema';
import { subgraphPlugins } from '../../../subgraphs/common/subgraph-apollo';

export interface Result<T = any> {
  data?: T;
  errors?: readonly GraphQLFormattedError[];
}

/** The MES schema in-process: each `run` is one request with its own context (fresh loaders), as over HTTP. */
export class MesHarness {
  private constructor(private readonly server: ApolloServer<MesContext>) {}

  static async start(): Promise<MesHarness> {
    const server = new ApolloServer<MesContext>({
      schema: await buildMesSchema(),
      includeStacktraceInErrorResponses: false,
      plugins: [ApolloServerPluginInlineTraceDisabled(), ...subgraphPlugins<MesContext>()],
    });
    await server.start();
    return new MesHarness(server);
  }

  /** Every event the operations run here publish, for tests that check what was announced. */
  readonly events = new InMemoryEventBus();

  async run<T = any>(
    backend: MesBackend,
    clock: Clock,
    query: string,
    variables?: Record<string, unknown>,
    events: EventBus = this.events,
  ): Promise<Result<T>> {
    const response = await this.server.executeOperation({ query, variables }, { contextValue: createMesContext(backend, clock, events) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as Result<T>;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

/** The first error's code and field, the part of an error clients act on. */
export function errorOf(result: Result): { code: unknown; field: unknown } {
  const error = result.errors?.[0];
  return { code: error?.extensions?.code, field: error?.extensions?.field };
}

/** The dataset every MES schema test reads: small, and the same on every machine. */
export const DATASET = { seed: 7, scale: 50 } as const;
/** The dataset's anchor ("now" of the seeded history), frozen so time-dependent answers are exact. */
export const ANCHOR = new Date('2026-03-02T06:00:00.000Z');
export const atAnchor: Clock = () => new Date(ANCHOR);

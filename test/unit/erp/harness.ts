import { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { countCalls, CountedBackend } from '../../../mocks/counting-backend';
import { loadWorld } from '../../../mocks/dataset/load-world';
import { DEFAULT_ANCHOR, type World } from '../../../mocks/dataset/world';
import { createMockErpBackend, InMemoryErpBackend } from '../../../mocks/erp/in-memory-erp-backend';
import type { Clock } from '../../../subgraphs/common/clock';
import { createErpContext, ErpContext } from '../../../subgraphs/erp/context';
import { buildErpSchema } from '../../../subgraphs/erp/schema';
import { subgraphPlugins } from '../../../subgraphs/common/subgraph-apollo';

/** The dataset every ERP unit test reads: small enough to be quick, big enough for paging and every status. */
export const SEED = 7;
export const SCALE = 30;

/** Tests judge "the past" against the dataset's anchor, frozen so results do not drift while a test runs. */
export const NOW = DEFAULT_ANCHOR;
export const frozenClock: Clock = () => new Date(NOW);

export interface OperationResult<T> {
  data?: T | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface ErpHarness {
  world: World;
  backend: InMemoryErpBackend;
  counted: CountedBackend<InMemoryErpBackend>;
  /** Runs one operation in-process, as one request: fresh context and loaders each call. */
  run<T = any>(query: string, variables?: Record<string, unknown>): Promise<OperationResult<T>>;
  stop(): Promise<void>;
}

let schema: Promise<GraphQLSchema> | undefined;

/** Apollo's start-up notes (inline tracing) are noise in test output; warnings and errors still show. */
const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message: unknown) => console.warn(message),
  error: (message: unknown) => console.error(message),
};

/**
 * A fresh mock backend (writes in one test file never leak into another) behind the real schema.
 * All requests go through a call counter, so any test can assert what a query cost.
 */
export async function createErpHarness(options: { seed?: number; scale?: number } = {}): Promise<ErpHarness> {
  schema ??= buildErpSchema();
  const server = new ApolloServer<ErpContext>({ schema: await schema, logger: quietLogger, plugins: subgraphPlugins() });
  await server.start();
  const seed = options.seed ?? SEED;
  const scale = options.scale ?? SCALE;
  const backend = createMockErpBackend({ seed, scale, anchor: NOW, clock: frozenClock });
  const counted = countCalls(backend);
  return {
    world: loadWorld({ seed, scale, anchor: NOW }),
    backend,
    counted,
    async run(query, variables) {
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: createErpContext(counted.backend, frozenClock) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as OperationResult<any>;
    },
    stop: () => server.stop(),
  };
}

/** The one error of a failed operation, as a client switches on it. */
export function onlyError(result: OperationResult<unknown>): { code: unknown; field: unknown; message: string } {
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors!;
  return { code: error!.extensions?.code, field: error!.extensions?.field, message: error!.message };
}

/** Sum in integer cents: an independent check of the subgraph's money arithmetic. */
export function centsTotal(lines: readonly { quantity: number; unitPrice: number }[]): number {
  return lines.reduce((cents, line) => cents + Math.round(line.quantity * line.unitPrice * 100), 0) / 100;
}

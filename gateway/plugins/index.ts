import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationLimitOptions } from '../limits/check';
import { operationLimits } from './operation-limits';
import { subgraphErrorCodes } from './subgraph-error-codes';

/** Every gateway concern is one plugin; this list is the whole assembly, in the order they run. */
export function gatewayPlugins(options: { operationLimits?: Partial<OperationLimitOptions> } = {}): ApolloServerPlugin[] {
  return [subgraphErrorCodes(), operationLimits(options.operationLimits)];
}

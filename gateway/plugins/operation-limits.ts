import type { ApolloServerPlugin } from '@apollo/server';
import { checkOperation, DEFAULT_OPERATION_LIMITS, type OperationLimitOptions } from '../limits/check';
import { badRequest } from '../limits/errors';

/**
 * Depth, alias, root-field, cost and variables-size limits (gateway/limits/). They run in didResolveOperation:
 * after parsing and validation (so fragment cycles and unknown fragments are already refused) and before the
 * query plan is executed, so a refused operation never reaches a subgraph. Parsing itself is bounded by the body
 * size and Apollo's `parseOptions.maxTokens`; validation (which crafted documents can make exponential) is protected
 * by the same checks run earlier, in the HTTP admission (gateway/limits/admission.ts).
 */
export function operationLimits(options: Partial<OperationLimitOptions> = {}): ApolloServerPlugin {
  const limits = { ...DEFAULT_OPERATION_LIMITS, ...options };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operation }) {
          // Without this the gateway's planner answers an unknown or missing operation name with a 500.
          if (!operation) {
            throw badRequest(
              request.operationName ? `Unknown operation named "${request.operationName}".` : 'Must provide operation name if query contains multiple operations.',
            );
          }
          const refusal = checkOperation({ schema, document, operationName: request.operationName, variables: request.variables }, limits);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

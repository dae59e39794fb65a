import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';

/**
 * Subgraph errors reach the client through the gateway; make sure each carries an `extensions.code`
 * (DESIGN §6) so clients can switch on it, without hiding the subgraph's own code when it has one.
 */
export function subgraphErrorCodes(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          if (!errors) return;
          response.body.singleResult.errors = errors.map(withCode);
        },
      };
    },
  };
}

function withCode(error: GraphQLFormattedError): GraphQLFormattedError {
  if (typeof error.extensions?.code === 'string') return error;
  return { ...error, extensions: { ...error.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';

/**
 * A record pointing at one the ERP does not have is the back office's inconsistency, not the client's
 * mistake: reported as an internal error on that field, the rest of the response still arrives.
 */
export function danglingReference(from: string, to: string): GraphQLError {
  return new GraphQLError(`${from} refers to ${to}, which the ERP does not have`, {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  });
}

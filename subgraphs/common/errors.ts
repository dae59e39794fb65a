import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';

/** Invalid input: `field` is the input path a client form can highlight, e.g. `input.lines[1].sku`. */
export function badUserInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field } });
}

export function notFound(entity: string, id: string, field = 'id'): GraphQLError {
  return new GraphQLError(`${entity} ${id} does not exist`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field, reason: ErrorCode.NOT_FOUND },
  });
}

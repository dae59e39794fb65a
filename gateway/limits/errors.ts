import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';

/**
 * The refusals of the limits, persisted-operation and rate-limit checks. `extensions.http` sets the HTTP status
 * (and headers) of the response; Apollo Server removes it before the error reaches the client.
 */

export type LimitMeasure = 'depth' | 'aliases' | 'rootFields' | 'cost' | 'tokens';

export function queryTooComplex(measure: LimitMeasure, limit: number, actual: number): GraphQLError {
  return new GraphQLError(`operation ${measure} ${actual} exceeds the limit of ${limit}`, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, measure, limit, actual, http: { status: 400, headers: new HeaderMap() } },
  });
}

export function badRequest(message: string, extensions: Record<string, unknown> = {}, status = 400): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_REQUEST, ...extensions, http: { status, headers: new HeaderMap() } },
  });
}

export function persistedQueryNotFound(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND, http: { status: 400, headers: new HeaderMap() } },
  });
}

export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`rate limit exceeded; retry in ${retryAfterSeconds} s`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

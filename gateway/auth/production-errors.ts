import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';

const TYPED = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));
/** Apollo's own request-level codes, safe and useful to the client. */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
const URL_PATTERN = /\b(?:https?|wss?|redis|postgres(?:ql)?|mqtt):\/\/[^\s"'<>)]+/gi;
const GENERIC = 'internal server error';

/**
 * Apollo `formatError` for production: typed errors keep their message (internal URLs removed), anything else
 * becomes INTERNAL_SERVER_ERROR with a generic message; stack traces and exception details never leave.
 */
export function maskProductionError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
  if (code && (TYPED.has(code) || APOLLO_CODES.has(code))) {
    return { ...formatted, message: formatted.message.replace(URL_PATTERN, '[internal]'), extensions: redactUrls(extensions) };
  }
  return { message: GENERIC, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

function redactUrls(extensions: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extensions)) out[key] = typeof value === 'string' ? value.replace(URL_PATTERN, '[internal]') : value;
  return out;
}

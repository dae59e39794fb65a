import { GraphQLError, type ExecutionResult } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';

/**
 * Splits the result of a batch hydration (`key: byIdsField(eventIds: [e0, e1, …])`) into what each single
 * hydration (`key: byIdField(eventId: eN)`) would have returned:
 * - event i's data is `{ key: list[i] }` (null when the list or the item is null);
 * - an error under `[key, i, …rest]` belongs to event i only, at `[key, …rest]`;
 * - any other error (on the whole field `[key]`, or without a path) concerns every event and goes to each.
 * Null when the batch failed as a request (no data at all: refused, invalid), or when field authorization
 * denied fields: it reports each denied field once per response, where it was first nulled, whereas each single
 * hydration reports it for its own event. Nothing can be attributed exactly then, and the caller hydrates the
 * events one by one instead.
 */
export function splitBatchResult(result: ExecutionResult, key: string, count: number): ExecutionResult[] | null {
  if (!result.data || result.errors?.some(isDenial)) return null;
  const list = result.data[key];
  const items = Array.isArray(list) ? list : null;
  const errors: GraphQLError[][] = Array.from({ length: count }, () => []);
  for (const error of result.errors ?? []) {
    const path = error.path;
    const index = path && path[0] === key && typeof path[1] === 'number' ? path[1] : null;
    if (index === null || index >= count) {
      for (const own of errors) own.push(error);
    } else {
      errors[index]!.push(new GraphQLError(error.message, { path: [key, ...path!.slice(2)], extensions: error.extensions, originalError: error.originalError }));
    }
  }
  return errors.map((own, i) => ({
    data: { [key]: items?.[i] ?? null },
    ...(own.length > 0 ? { errors: own } : {}),
    ...(result.extensions ? { extensions: result.extensions } : {}),
  }));
}

/** An error of the gateway's field authorization (gateway/authorization/apply-denials.ts): it names the field. */
function isDenial(error: GraphQLError): boolean {
  const { code, field } = error.extensions ?? {};
  return (code === ErrorCode.FORBIDDEN || code === ErrorCode.UNAUTHENTICATED) && typeof field === 'string';
}

/**
 * Every `extensions.code` that forge puts on a GraphQL error, in one place.
 * Clients switch on these strings, so they are part of the public contract: add, never rename.
 */
export const ErrorCode = {
  /** The request carries no valid identity where one is needed. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The identity is valid but lacks a scope or tenant right for this field or row. */
  FORBIDDEN: 'FORBIDDEN',
  /** An argument or input is invalid; `extensions.field` names the offending input path. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The HTTP request itself is malformed (not JSON, wrong content type, no query). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The requested entity does not exist (used by mutations acting on an id). */
  NOT_FOUND: 'NOT_FOUND',
  /** A subgraph or its back office could not be reached or answered with an error. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /**
   * A back office (ERP, MES source) behind a subgraph could not answer: unreachable, timed out, refused the
   * subgraph's credentials or failed. `extensions.backend` names it (e.g. `erpnext`), `extensions.status` carries
   * its HTTP status when there was one. The subgraph itself is up, so other fields of the response still resolve.
   */
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  /** The operation exceeds a depth, alias, root-field or cost limit. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A persisted-query id is unknown to this gateway. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** The caller exceeded its request budget; `extensions.retryAfterSeconds` says when to retry. */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * A subscription asked to resume after an event id older than the retained history. The client has missed
   * events it can no longer get: re-read current state with a query, then subscribe again without `after`.
   */
  EVENT_ID_EXPIRED: 'EVENT_ID_EXPIRED',
  /** Anything unexpected; details are logged, never sent to the client in production. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

import { persistedQueryNotFound, badRequest } from '../limits/errors';
import { PersistedManifest } from './manifest';

/**
 * - `off`: any document is accepted; listed ids and hashes still resolve.
 * - `allowlist`: every operation must be a listed id/hash or a listed document.
 * - `tenants`: as allowlist for identities with a `tenant` (partners); staff (no tenant) and anonymous callers
 *   are free (authentication decides what anonymous callers may do).
 */
export type PersistedMode = 'off' | 'allowlist' | 'tenants';

export interface PersistedOptions {
  mode: PersistedMode;
  manifest: PersistedManifest;
}

export const DEFAULT_PERSISTED: PersistedOptions = { mode: 'off', manifest: PersistedManifest.empty() };

/** One GraphQL request as sent (POST body element or GET parameters); edited in place. */
export type OperationRequest = Record<string, unknown>;

/**
 * Turns a persisted reference into the document it stands for, or refuses the operation (throws).
 * A request names a persisted operation with any of:
 *   `documentId` (GraphQL-over-HTTP persisted documents), `id` (Relay style): a manifest id or hash;
 *   `extensions.persistedQuery.sha256Hash` (Apollo APQ): a manifest hash/id, else Apollo's own APQ cache
 *   (in `off` mode, or for callers free in `tenants` mode).
 * A resolved operation goes on with `query` set to the listed document and the reference removed.
 */
export function resolvePersisted(op: OperationRequest, options: PersistedOptions, tenant: string | undefined): void {
  const required = options.mode === 'allowlist' || (options.mode === 'tenants' && tenant !== undefined);
  const extensions = isObject(op.extensions) ? op.extensions : undefined;
  const apq = extensions && isObject(extensions.persistedQuery) ? extensions.persistedQuery : undefined;

  const reference = op.documentId ?? op.id;
  if (reference !== undefined) {
    if (typeof reference !== 'string') throw badRequest('documentId / id must be a string');
    const document = options.manifest.document(reference);
    if (!document) throw persistedQueryNotFound(`no persisted operation with id "${reference.slice(0, 100)}"`);
    return use(op, document);
  }
  if (apq && op.query === undefined) {
    const document = typeof apq.sha256Hash === 'string' ? options.manifest.document(apq.sha256Hash) : undefined;
    if (document) return use(op, document);
    if (required) throw persistedQueryNotFound('PersistedQueryNotFound: this operation is not in the persisted operations list');
    return; // Apollo's APQ cache answers (PERSISTED_QUERY_NOT_FOUND on a miss, then the client sends the query).
  }
  if (required && typeof op.query === 'string' && !options.manifest.lists(op.query)) {
    throw persistedQueryNotFound('only persisted operations are accepted: this document is not in the list');
  }
}

function use(op: OperationRequest, document: string): void {
  op.query = document;
  delete op.documentId;
  delete op.id;
  if (isObject(op.extensions)) {
    const { persistedQuery: _, ...rest } = op.extensions;
    op.extensions = rest;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

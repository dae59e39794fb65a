import { AuthError } from './errors';

/** The token of an `Authorization: Bearer <jwt>` header; null when there is no header at all. */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (!match) throw new AuthError('malformed Authorization header (expected "Bearer <token>")');
  return match[1]!;
}

/**
 * The token a graphql-ws client put in `connectionParams`: `{ authorization: "Bearer …" }` (any case of the key)
 * or `{ token: "…" }`. Null when there is none.
 */
export function connectionParamsToken(params: Readonly<Record<string, unknown>> | undefined): string | null {
  if (!params) return null;
  for (const [key, value] of Object.entries(params)) {
    if (key.toLowerCase() !== 'authorization') continue;
    if (typeof value !== 'string') throw new AuthError('malformed authorization connection parameter');
    return bearerToken(value);
  }
  if (params.token === undefined) return null;
  if (typeof params.token !== 'string' || params.token.trim() === '') throw new AuthError('malformed token connection parameter');
  return params.token.trim().replace(/^Bearer\s+/i, '');
}

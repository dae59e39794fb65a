import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../../schema/error-codes';

/** The `extensions.backend` value of every error this adapter raises, so clients can tell which system failed. */
export const BACKEND = 'erpnext';

/** ERPNext could not answer: the field is null in the response and the subgraph keeps serving. */
export function backendUnavailable(message: string, status?: number): GraphQLError {
  const extensions: Record<string, unknown> = { code: ErrorCode.BACKEND_UNAVAILABLE, backend: BACKEND };
  if (status !== undefined) extensions.status = status;
  return new GraphQLError(`ERPNext: ${message}`, { extensions });
}

/** ERPNext refused a write as invalid (HTTP 417): the caller's input, so BAD_USER_INPUT with ERPNext's own words. */
export function rejectedInput(message: string, excType: string | undefined): GraphQLError {
  return new GraphQLError(`ERPNext rejected the document: ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'input', backend: BACKEND, status: 417, excType },
  });
}

/** A non-2xx answer as ERPNext sends it: `exc_type`, and `_server_messages` (a JSON list of JSON objects). */
export interface FrappeErrorBody {
  exc_type?: string;
  exception?: string;
  _server_messages?: string;
  message?: unknown;
}

/** The human text of a Frappe error body; `_server_messages` is JSON inside JSON, so every layer may be junk. */
export function serverMessages(body: FrappeErrorBody | undefined): string | undefined {
  if (!body) return undefined;
  const texts: string[] = [];
  if (typeof body._server_messages === 'string') {
    try {
      for (const entry of JSON.parse(body._server_messages) as unknown[]) {
        const parsed = typeof entry === 'string' ? (safeJson(entry) ?? entry) : entry;
        const text = typeof parsed === 'object' && parsed !== null ? (parsed as { message?: unknown }).message : parsed;
        if (typeof text === 'string' && text.length > 0) texts.push(stripTags(text));
      }
    } catch {
      // Not JSON: fall through to the other fields.
    }
  }
  if (texts.length === 0 && typeof body.exception === 'string') texts.push(body.exception);
  if (texts.length === 0 && typeof body.message === 'string') texts.push(body.message);
  return texts.length > 0 ? texts.join('; ') : undefined;
}

/** Maps an HTTP error answer to the typed error the graph shows. 404 is handled by callers that expect it. */
export function errorForStatus(status: number, body: FrappeErrorBody | undefined, what: string): GraphQLError {
  const detail = serverMessages(body);
  if (status === 417) return rejectedInput(detail ?? `${what} is invalid`, body?.exc_type);
  if (status === 401 || status === 403) {
    // Never echo the key: the message says what to fix, not what was sent.
    return backendUnavailable(`refused the API credentials (HTTP ${status}) for ${what}; check ERP_API_KEY / ERP_API_SECRET`, status);
  }
  if (status === 404) return backendUnavailable(`${what} not found (HTTP 404)`, status);
  return backendUnavailable(`${what} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`, status);
}

/** Transport failures (no HTTP status): timeout, refused or reset connections, DNS. */
export function errorForTransport(error: unknown, what: string, timeoutMs: number): GraphQLError {
  const name = (error as Error | undefined)?.name;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ((error as { cause?: NodeJS.ErrnoException })?.cause?.code);
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return backendUnavailable(`${what} timed out after ${timeoutMs} ms`);
  }
  if (code === 'ECONNREFUSED') return backendUnavailable(`connection refused for ${what}`);
  return backendUnavailable(`${what} failed: ${code ?? (error as Error)?.message ?? String(error)}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Frappe messages often carry HTML (`<b>`, links); clients get plain text. */
const stripTags = (text: string) => text.replace(/<[^>]*>/g, '');

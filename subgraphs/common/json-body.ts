import type http from 'node:http';

/** Most characters a piece collects before it is closed: well below V8's 128 KB large-object threshold. */
const PIECE_CHARS = 48 * 1024;
/** How deep objects are walked looking for long arrays; anything deeper is serialized whole. */
const WALK_DEPTH = 4;

/**
 * A JSON response body in pieces: joined, exactly `JSON.stringify(value) + '\n'` (Apollo Server's body form).
 *
 * One JSON.stringify of a 500-row page (150 KB) gives a string V8 must copy into its large-object space the
 * first time anything reads it — Node measuring it for Content-Length — and those objects are only freed by a
 * full collection. Written as pieces under the threshold, bi's answer cost the gateway 9.9–10.7 ms of CPU
 * instead of 11.4–11.5 (bench/RESULTS.md, part G). The subgraphs keep Apollo's one string: their results are
 * graphql-js's own result objects, and there pieces measured 3–5% slower (the cause was not pinned down).
 */
export class JsonBody {
  private constructor(readonly pieces: readonly string[]) {}

  static of(value: unknown): JsonBody {
    const pieces: string[] = [];
    let current = '';
    const push = (text: string) => {
      if (text.length >= PIECE_CHARS) {
        if (current) pieces.push(current);
        pieces.push(text);
        current = '';
        return;
      }
      current += text;
      if (current.length >= PIECE_CHARS) {
        pieces.push(current);
        current = '';
      }
    };
    const walk = (node: unknown, depth: number): void => {
      if (Array.isArray(node)) {
        push('[');
        for (let i = 0; i < node.length; i++) {
          if (i > 0) push(',');
          // A whole element per call: rows are small, and one native call each is what keeps this fast.
          push(memberJson(node[i], String(i)) ?? 'null');
        }
        push(']');
        return;
      }
      push('{');
      let first = true;
      for (const key of Object.keys(node as object)) {
        const member = (node as Record<string, unknown>)[key];
        const walked = depth + 1 < WALK_DEPTH && isWalkable(member);
        const text = walked ? '' : memberJson(member, key);
        // As JSON.stringify: members whose value has no JSON form (undefined, functions, symbols) are left out.
        if (text === undefined) continue;
        push(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        if (walked) walk(member, depth + 1);
        else push(text);
      }
      push('}');
    };
    if (isWalkable(value)) walk(value, 0);
    else push(JSON.stringify(value) ?? '');
    pieces.push(`${current}\n`);
    return new JsonBody(pieces);
  }

  /** The whole body as one string (tests, and any reader that wants Apollo's plain form). */
  toString(): string {
    return this.pieces.join('');
  }
}

/** JSON.stringify(holder[key]) as JSON.stringify writes it inside its holder, where a toJSON is called with `key`. */
function memberJson(value: unknown, key: string): string | undefined {
  const toJSON = value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as { toJSON?: unknown }).toJSON : undefined;
  if (typeof toJSON !== 'function') return JSON.stringify(value);
  const holder = JSON.stringify({ [key]: value });
  return holder === '{}' ? undefined : holder.slice(JSON.stringify(key).length + 2, -1);
}

/** Plain objects and arrays without a toJSON of their own: the only values walked instead of stringified. */
function isWalkable(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Apollo Server's `stringifyResult`, returning a JsonBody where Apollo expects a string. Apollo hands the value
 * through untouched to `executeHTTPGraphQLRequest`'s answer, where serveGraphQL writes it with `endWithBody`.
 */
export function stringifyInPieces(value: unknown): string {
  return JsonBody.of(value) as unknown as string;
}

/** Ends `res` with `body`: a JsonBody's pieces in one corked write with their Content-Length, a string as is. */
export function endWithBody(res: http.ServerResponse, body: unknown): void {
  if (!(body instanceof JsonBody)) {
    res.end(body as string);
    return;
  }
  let length = 0;
  for (const piece of body.pieces) length += Buffer.byteLength(piece);
  res.setHeader('content-length', length);
  // Corked, the pieces leave in one writev; end() uncorks fully.
  res.cork();
  const last = body.pieces.length - 1;
  for (let i = 0; i < last; i++) res.write(body.pieces[i]);
  res.end(body.pieces[last]);
}

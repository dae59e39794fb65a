import type http from 'node:http';

/** How deep objects are walked looking for long arrays; anything deeper is serialized whole. */
const WALK_DEPTH = 4;
/** Array elements serialized per JSON.stringify call: first guess, cap, and the characters a run aims at. */
const FIRST_RUN = 16;
const MAX_RUN = 1024;
/** Well below V8's large-object threshold (128 KB), past which a string costs a copy into large-object space. */
const RUN_CHARS = 32 * 1024;
/**
 * First size of a body's buffer, which doubles as needed: under half of Node's 8 KB pool, so that a small answer
 * is a slice of the shared pool rather than an allocation of its own (a 500-row page takes six doublings).
 */
const INITIAL_BYTES = Buffer.poolSize / 2 - 1;

/**
 * A JSON response body as UTF-8 bytes: exactly `JSON.stringify(value) + '\n'` (Apollo Server's body form),
 * encoded as it is produced.
 *
 * One JSON.stringify of a 500-row page (150 KB) gives a string V8 must flatten into its large-object space the
 * first time anything reads it — Node measuring it for Content-Length — and only a full collection frees it. Here
 * the long lists near the top are serialized a run of elements (about 32 K characters) at a time, and each run's
 * text goes straight into a buffer outside the JS heap: the heap only ever holds one run's string, and the answer
 * is one buffer whose length is the Content-Length. bench/RESULTS.md, parts G and H, has the measurements. The subgraphs keep Apollo's one
 * string: their results are graphql-js's own null-prototype objects, and there this measured 3–5% slower.
 */
export class JsonBody {
  private constructor(readonly bytes: Buffer) {}

  static of(value: unknown): JsonBody {
    const out = new ByteWriter(rawBytesIn(value) + INITIAL_BYTES);
    const walk = (node: unknown, depth: number): void => {
      if (Array.isArray(node)) {
        out.byte(0x5b); // [
        let run = FIRST_RUN;
        for (let i = 0; i < node.length; ) {
          if (i > 0) out.byte(0x2c); // ,
          if (hasToJSON(node[i])) {
            // Its toJSON is called with its own index, as JSON.stringify of the whole array would.
            out.text(memberJson(node[i], String(i)) ?? 'null');
            i += 1;
            continue;
          }
          // A run of elements in one native call: per element, JSON.stringify's start-up and its string builder's
          // first small parts cost more than the element's text (bench/RESULTS.md, part H).
          let end = i + 1;
          while (end < node.length && end - i < run && !hasToJSON(node[end])) end++;
          const text = JSON.stringify(node.slice(i, end));
          out.text(text.slice(1, -1));
          run = Math.max(1, Math.min(MAX_RUN, Math.floor((RUN_CHARS * (end - i)) / text.length)));
          i = end;
        }
        out.byte(0x5d); // ]
        return;
      }
      out.byte(0x7b); // {
      let first = true;
      for (const key of Object.keys(node as object)) {
        const member = (node as Record<string, unknown>)[key];
        if (member instanceof RawJson) {
          if (!first) out.byte(0x2c);
          first = false;
          out.text(JSON.stringify(key));
          out.byte(0x3a);
          out.bytes(member.bytes);
          continue;
        }
        const walked = depth + 1 < WALK_DEPTH && isWalkable(member);
        const text = walked ? '' : memberJson(member, key);
        // As JSON.stringify: members whose value has no JSON form (undefined, functions, symbols) are left out.
        if (text === undefined) continue;
        if (!first) out.byte(0x2c);
        first = false;
        out.text(JSON.stringify(key));
        out.byte(0x3a); // :
        if (walked) walk(member, depth + 1);
        else out.text(text);
      }
      out.byte(0x7d); // }
    };
    if (value instanceof RawJson) out.bytes(value.bytes);
    else if (isWalkable(value)) walk(value, 0);
    else out.text(JSON.stringify(value) ?? '');
    out.byte(0x0a); // \n
    return new JsonBody(out.done());
  }

  /** The whole body as a string (tests, and any reader that wants Apollo's plain form). */
  toString(): string {
    return this.bytes.toString('utf8');
  }
}

/**
 * A value already serialized: JsonBody copies its bytes where the value belongs. Anything else that serializes it
 * (JSON.stringify) or needs it as a value gets `toJSON()`, the value it stands for.
 */
export class RawJson {
  constructor(
    readonly bytes: Buffer,
    private readonly value: () => unknown,
  ) {}

  toJSON(): unknown {
    return this.value();
  }
}

/** The value a RawJson stands for, or the value itself. */
export function jsonValue<T>(value: T | RawJson): T {
  return value instanceof RawJson ? (value.toJSON() as T) : value;
}

/** The size of the RawJson members of a response (its data, when the gateway wrote it already). */
function rawBytesIn(value: unknown): number {
  if (value instanceof RawJson) return value.bytes.length;
  if (!isWalkable(value) || Array.isArray(value)) return 0;
  let bytes = 0;
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (member instanceof RawJson) bytes += member.bytes.length;
  }
  return bytes;
}

/** An append-only UTF-8 buffer that doubles when full. */
export class ByteWriter {
  private buffer: Buffer;
  length = 0;

  /** `expectedBytes`: what the caller expects to write, so that a large body is not grown (and copied) six times. */
  constructor(expectedBytes = INITIAL_BYTES) {
    this.buffer = Buffer.allocUnsafe(Math.max(INITIAL_BYTES, expectedBytes));
  }

  byte(code: number): void {
    if (this.length === this.buffer.length) this.grow(1);
    this.buffer[this.length++] = code;
  }

  text(text: string): void {
    // UTF-8 needs at most three bytes per UTF-16 code unit.
    if (this.length + text.length * 3 > this.buffer.length) this.grow(text.length * 3);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /**
   * Text known to be printable ASCII without quotes or backslashes (numbers, literals), byte by byte: for a few
   * characters a loop costs less than a call into Buffer#write.
   */
  ascii(text: string): void {
    const n = text.length;
    if (this.length + n > this.buffer.length) this.grow(n);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < n; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** A JSON string literal, exactly as JSON.stringify writes it. */
  string(text: string): void {
    const n = text.length;
    if (this.length + n + 2 > this.buffer.length) this.grow(n + 2);
    const buffer = this.buffer;
    let at = this.length;
    buffer[at++] = 0x22; // "
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      // Controls, quote and backslash need escapes, anything past ASCII more than one byte: JSON.stringify's way.
      if (code < 0x20 || code === 0x22 || code === 0x5c || code > 0x7f) {
        this.text(JSON.stringify(text));
        return;
      }
      buffer[at++] = code;
    }
    buffer[at++] = 0x22;
    this.length = at;
  }

  bytes(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buffer.length) this.grow(bytes.length);
    if (bytes.length < 32) {
      const buffer = this.buffer;
      let at = this.length;
      for (let i = 0; i < bytes.length; i++) buffer[at++] = bytes[i]!;
      this.length = at;
      return;
    }
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Drops what was written after `length` (a value being written turned out to be null after all). */
  truncate(length: number): void {
    this.length = length;
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + needed));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

/** JSON.stringify(holder[key]) as JSON.stringify writes it inside its holder, where a toJSON is called with `key`. */
function memberJson(value: unknown, key: string): string | undefined {
  if (!hasToJSON(value)) return JSON.stringify(value);
  const holder = JSON.stringify({ [key]: value });
  return holder === '{}' ? undefined : holder.slice(JSON.stringify(key).length + 2, -1);
}

function hasToJSON(value: unknown): boolean {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** Plain objects and arrays without a toJSON of their own: the only values walked instead of stringified. */
function isWalkable(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || hasToJSON(value)) return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Apollo Server's `stringifyResult`, returning a JsonBody where Apollo expects a string. Apollo hands the value
 * through untouched to `executeHTTPGraphQLRequest`'s answer, where serveGraphQL writes it with `endWithBody`.
 */
export function stringifyAsBytes(value: unknown): string {
  return JsonBody.of(value) as unknown as string;
}

/** Ends `res` with `body`: a JsonBody's bytes with their Content-Length, a string as is. */
export function endWithBody(res: http.ServerResponse, body: unknown): void {
  if (!(body instanceof JsonBody)) {
    res.end(body as string);
    return;
  }
  res.setHeader('content-length', body.bytes.length);
  res.end(body.bytes);
}

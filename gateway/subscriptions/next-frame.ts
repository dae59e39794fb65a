import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Writable } from 'node:stream';
import WebSocket from 'ws';
import { ErrorCode } from '../../schema/error-codes';
import type { Hydrated } from './hydration-batcher';

/** A hydration that found nothing (event trimmed meanwhile) still yields a frame, with the reason. */
export function withEventData(result: ExecutionResult, key: string): ExecutionResult {
  if (result.data?.[key] !== null || result.errors?.length) return result;
  return {
    data: result.data,
    errors: [new GraphQLError('the event is no longer retained', { path: [key], extensions: { code: ErrorCode.EVENT_ID_EXPIRED } })],
  };
}

/** A `next` payload serialized once for every subscriber it goes to: as text, and as the UTF-8 a frame carries. */
export interface EncodedNext {
  json: string;
  utf8: Buffer;
}

/**
 * The `next` payload of a hydrated event as JSON, exactly as graphql-ws would write it (the result without
 * `errors`, then the errors' toJSON), computed once per event and hydration group, whatever its subscriber count.
 * Everyone sharing a Hydrated shares its hydration document, hence its response key.
 */
export function encodeNext(hydrated: Hydrated, responseKey: string): EncodedNext {
  if (hydrated.encoded) return hydrated.encoded;
  const { errors, ...rest } = withEventData(hydrated.result, responseKey);
  const json = JSON.stringify({ ...rest, ...(errors ? { errors: errors.map((e) => (e instanceof GraphQLError ? e.toJSON() : e)) } : {}) });
  hydrated.encoded = { json, utf8: Buffer.from(json) };
  return hydrated.encoded;
}

/** Where a subscriber's `next` frames go when they are written straight to its socket. */
export interface FrameSink {
  /** Writes one `next` frame with this (already serialized) payload. */
  send(payload: EncodedNext, eventId: string): void;
  /** Frames written that are still in the gateway's memory: the client (or its network) is not taking them. */
  backlog(): number;
  /** The event of the last frame that left the gateway, if any. */
  lastFlushed(): string | null;
}

/** Bytes written to each socket by SocketFrameSinks (all subscriptions of the socket), frame headers included. */
const written = new WeakMap<WebSocket, { bytes: number }>();

/** RFC 6455 header of an unmasked server frame with this payload length. */
function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

/** One unmasked, final RFC 6455 text frame carrying `prefix`, `payload` and a closing brace. */
export function textFrame(prefix: Buffer, payload: Buffer): Buffer {
  const length = prefix.length + payload.length + 1;
  const header = headerBytes(length);
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN, text
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  prefix.copy(frame, header);
  payload.copy(frame, header + prefix.length);
  frame[frame.length - 1] = 0x7d; // }
  return frame;
}

/**
 * graphql-transport-ws `next` frames for subscription `id`: only `{"id":…,"type":"next","payload":` differs per
 * subscriber, the payload is the shared serialization. The socket keeps frames in order, so graphql-ws's own
 * `complete`/`error` for this id, sent when the subscription ends, still come after the last `next`.
 *
 * Given the connection's TCP socket (`raw`), each frame is written to it whole, header included, in one write of
 * one buffer. ws's send would encode the text per subscriber, then write header and payload as two buffers through
 * a corked stream; at 100 subscribers per event that was a third of the CPU per frame spent above the kernel
 * (bench/RESULTS.md, part L). It is only done while ws itself would write a frame unchanged and at once: no
 * extension (permessage-deflate) was negotiated, and graphql-ws sends text only, so ws's sender never holds a frame
 * back and its own frames (complete, error, ping, close) keep their order with these.
 *
 * Backlog: the frame ends (cumulative bytes written to the socket) are queued; those at or below
 * `written - socket.bufferedAmount` have been handed to the OS. ws's bufferedAmount counts what the TCP socket
 * holds, so frames written either way are counted. No per-frame callback or timer is needed.
 */
export class SocketFrameSink implements FrameSink {
  private readonly prefix: string;
  private readonly prefixUtf8: Buffer;
  private readonly raw: Writable | null;
  private readonly counter: { bytes: number };
  private ends: number[] = [];
  private eventIds: string[] = [];
  private head = 0;
  private last: string | null = null;

  constructor(
    private readonly socket: WebSocket,
    id: string,
    raw?: Writable,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    this.prefixUtf8 = Buffer.from(this.prefix);
    this.raw = raw && socket.extensions === '' ? raw : null;
    let counter = written.get(socket);
    if (!counter) written.set(socket, (counter = { bytes: 0 }));
    this.counter = counter;
  }

  send(payload: EncodedNext, eventId: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    let bytes: number;
    if (this.raw) {
      const frame = textFrame(this.prefixUtf8, payload.utf8);
      this.raw.write(frame);
      bytes = frame.length;
    } else {
      const length = this.prefixUtf8.length + payload.utf8.length + 1;
      this.socket.send(this.prefix + payload.json + '}');
      bytes = length + headerBytes(length);
    }
    this.counter.bytes += bytes;
    // The usual case: the OS took the whole frame at once; there is nothing to keep track of.
    if (this.head === this.ends.length && this.socket.bufferedAmount === 0) {
      this.last = eventId;
      return;
    }
    this.ends.push(this.counter.bytes);
    this.eventIds.push(eventId);
  }

  backlog(): number {
    this.prune();
    return this.ends.length - this.head;
  }

  lastFlushed(): string | null {
    this.prune();
    return this.last;
  }

  private prune(): void {
    const flushed = this.counter.bytes - this.socket.bufferedAmount;
    while (this.head < this.ends.length && this.ends[this.head]! <= flushed) this.last = this.eventIds[this.head++]!;
    if (this.head === this.ends.length) {
      this.ends.length = 0;
      this.eventIds.length = 0;
      this.head = 0;
    } else if (this.head >= 1024) {
      this.ends = this.ends.slice(this.head);
      this.eventIds = this.eventIds.slice(this.head);
      this.head = 0;
    }
  }
}

import { GraphQLError, type ExecutionResult } from 'graphql';
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

/**
 * The `next` payload of a hydrated event as JSON, exactly as graphql-ws would write it (the result without
 * `errors`, then the errors' toJSON), computed once per event and hydration group, whatever its subscriber count.
 * Everyone sharing a Hydrated shares its hydration document, hence its response key.
 */
export function encodeNext(hydrated: Hydrated, responseKey: string): { json: string; bytes: number } {
  if (hydrated.encoded) return hydrated.encoded;
  const { errors, ...rest } = withEventData(hydrated.result, responseKey);
  const json = JSON.stringify({ ...rest, ...(errors ? { errors: errors.map((e) => (e instanceof GraphQLError ? e.toJSON() : e)) } : {}) });
  hydrated.encoded = { json, bytes: Buffer.byteLength(json) };
  return hydrated.encoded;
}

/** Where a subscriber's `next` frames go when they are written straight to its socket. */
export interface FrameSink {
  /** Writes one `next` frame with this (already serialized) payload. */
  send(payload: { json: string; bytes: number }, eventId: string): void;
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

/**
 * graphql-transport-ws `next` frames for subscription `id`, written on the raw socket: only
 * `{"id":…,"type":"next","payload":` differs per subscriber, the payload is the shared serialization. The socket
 * keeps frames in order, so graphql-ws's own `complete`/`error` for this id, sent when the subscription ends,
 * still come after the last `next`.
 *
 * Backlog: the frame ends (cumulative bytes written to the socket) are queued; those at or below
 * `written - socket.bufferedAmount` have been handed to the OS. No per-frame callback or timer is needed.
 */
export class SocketFrameSink implements FrameSink {
  private readonly prefix: string;
  private readonly prefixBytes: number;
  private readonly counter: { bytes: number };
  private ends: number[] = [];
  private eventIds: string[] = [];
  private head = 0;
  private last: string | null = null;

  constructor(
    private readonly socket: WebSocket,
    id: string,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    this.prefixBytes = Buffer.byteLength(this.prefix);
    let counter = written.get(socket);
    if (!counter) written.set(socket, (counter = { bytes: 0 }));
    this.counter = counter;
  }

  send(payload: { json: string; bytes: number }, eventId: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const length = this.prefixBytes + payload.bytes + 1;
    this.socket.send(this.prefix + payload.json + '}');
    this.counter.bytes += length + headerBytes(length);
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

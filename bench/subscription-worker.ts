import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

/**
 * One slice of the fan-out's subscribers, in a worker thread so that receiving ~100k frames/s is spread over
 * cores and the load client is not what limits the measurement. Each subscriber is its own socket speaking
 * graphql-transport-ws directly (connection_init → subscribe); `next` frames are read with Buffer.indexOf
 * rather than JSON.parse, which is all the check needs: event id (order, duplicates, and event time: its first
 * part is the bus's wall-clock milliseconds at publish) and machine id.
 */
export interface WorkerInput {
  url: string;
  query: string;
  /** One per subscriber: the machine it watches. */
  machineIds: string[];
  /** Handshakes in flight at once while connecting. */
  connectConcurrency: number;
}

export type ToWorker = { type: 'progress' } | { type: 'measure'; from: number } | { type: 'report' } | { type: 'close' };

export type FromWorker =
  | { type: 'connected'; failed: number }
  | { type: 'progress'; subscribersWithEvents: number; received: number }
  | { type: 'report'; report: WorkerReport };

export interface WorkerReport {
  /** Measured events received, per subscriber (same order as machineIds). */
  received: number[];
  /** Latency histogram: index = ms from event time to receipt (last bucket: that or more). */
  histogram: number[];
  /** Frames whose event id was not after the subscriber's previous one. */
  outOfOrder: number;
  /** Frames for another machine than the subscriber's. */
  wrongMachine: number;
  /** `next` frames carrying errors, and `error` frames. */
  errors: number;
  /** Sockets closed by the gateway before the end, by close code. */
  closes: Record<string, number>;
}

export const HISTOGRAM_MS = 60_000;

const NEXT = Buffer.from('"type":"next"');
const EVENT_ID = Buffer.from('"eventId":"');
const MACHINE_ID = Buffer.from('"machine":{"id":"');
const ERRORS = Buffer.from('"errors":');
const QUOTE = 0x22;

interface Subscriber {
  machineId: string;
  socket: WebSocket;
  lastMs: number;
  lastSeq: number;
  seen: number;
  received: number;
}

function stringAfter(data: Buffer, marker: Buffer): string | null {
  const at = data.indexOf(marker);
  if (at < 0) return null;
  const start = at + marker.length;
  const end = data.indexOf(QUOTE, start);
  return end < 0 ? null : data.toString('latin1', start, end);
}

function run(input: WorkerInput): void {
  const port = parentPort!;
  const histogram = new Array<number>(HISTOGRAM_MS + 1).fill(0);
  const closes: Record<string, number> = {};
  let measureFrom = Number.POSITIVE_INFINITY;
  let outOfOrder = 0;
  let wrongMachine = 0;
  let errors = 0;
  let closing = false;

  const onFrame = (subscriber: Subscriber, data: Buffer): void => {
    // `next` frames are by far the most; the others are rare enough to parse properly.
    if (data.indexOf(NEXT) < 0 || data.indexOf(NEXT) > 64) {
      const message = JSON.parse(data.toString()) as { type: string };
      if (message.type === 'error') errors += 1;
      else if (message.type === 'connection_ack') {
        subscriber.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: input.query, variables: { m: [subscriber.machineId] } } }));
      }
      return;
    }
    const received = Date.now();
    subscriber.seen += 1;
    if (data.indexOf(ERRORS) >= 0) errors += 1;
    const eventId = stringAfter(data, EVENT_ID);
    if (eventId === null) return void (errors += 1);
    if (stringAfter(data, MACHINE_ID) !== subscriber.machineId) wrongMachine += 1;
    const dash = eventId.indexOf('-');
    const ms = Number(eventId.slice(0, dash));
    const seq = Number(eventId.slice(dash + 1));
    if (ms < subscriber.lastMs || (ms === subscriber.lastMs && seq <= subscriber.lastSeq)) outOfOrder += 1;
    subscriber.lastMs = ms;
    subscriber.lastSeq = seq;
    // An event id is the bus's wall-clock milliseconds at publish (then a sequence): the event time.
    const eventTime = ms;
    if (eventTime < measureFrom) return;
    subscriber.received += 1;
    histogram[Math.max(0, Math.min(HISTOGRAM_MS, received - eventTime))]! += 1;
  };

  const subscribers: Subscriber[] = [];
  let next = 0;
  let settled = 0;
  let failed = 0;
  const connectOne = (): void => {
    if (next >= input.machineIds.length) return;
    const machineId = input.machineIds[next++]!;
    const socket = new WebSocket(input.url, 'graphql-transport-ws', { perMessageDeflate: false });
    const subscriber: Subscriber = { machineId, socket, lastMs: 0, lastSeq: -1, seen: 0, received: 0 };
    subscribers.push(subscriber);
    let counted = false;
    const done = (ok: boolean) => {
      if (counted) return;
      counted = true;
      if (!ok) failed += 1;
      settled += 1;
      if (settled === input.machineIds.length) port.postMessage({ type: 'connected', failed } satisfies FromWorker);
      else connectOne();
    };
    socket.on('open', () => {
      socket.send('{"type":"connection_init"}');
      done(true);
    });
    socket.on('error', () => done(false));
    socket.on('message', (data: Buffer) => onFrame(subscriber, data));
    socket.on('close', (code) => {
      done(false);
      if (!closing) closes[code] = (closes[code] ?? 0) + 1;
    });
  };
  for (let i = 0; i < input.connectConcurrency; i++) connectOne();
  if (input.machineIds.length === 0) port.postMessage({ type: 'connected', failed: 0 } satisfies FromWorker);

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'progress':
        port.postMessage({
          type: 'progress',
          subscribersWithEvents: subscribers.filter((s) => s.seen > 0).length,
          received: subscribers.reduce((n, s) => n + s.received, 0),
        } satisfies FromWorker);
        return;
      case 'measure':
        measureFrom = message.from;
        return;
      case 'report':
        port.postMessage({
          type: 'report',
          report: { received: subscribers.map((s) => s.received), histogram, outOfOrder, wrongMachine, errors, closes },
        } satisfies FromWorker);
        return;
      case 'close':
        closing = true;
        for (const s of subscribers) s.socket.terminate();
        port.close();
        return;
    }
  });
}

if (parentPort) run(workerData as WorkerInput);

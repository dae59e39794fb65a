import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import WebSocket from 'ws';
import { FederatedSubscription } from '../../../gateway/subscriptions/federated-subscription';
import type { Hydrate } from '../../../gateway/subscriptions/hydration-batcher';
import { encodeNext, SocketFrameSink, textFrame, type FrameSink } from '../../../gateway/subscriptions/next-frame';
import { splitSubscription } from '../../../gateway/subscriptions/operation-split';
import { SubscriptionHub, type OpenStream } from '../../../gateway/subscriptions/subscription-hub';
import type { SubscriptionRoute } from '../../../gateway/subscriptions/subscription-routes';
import { until } from '../../integration/auth/tokens';

const routes = new Map<string, SubscriptionRoute>([
  ['machineStatusChanged', { subgraph: 'mes', url: 'ws://mes/graphql', hydrationField: 'machineStatusEvent' }],
]);
const QUERY = 'subscription { status: machineStatusChanged { eventId state } }';
const id = (n: number) => `1000-${n}`;

/** A socket that records what is sent; once the peer stops reading, what is sent stays in its buffer. */
function fakeSocket() {
  const frames: string[] = [];
  const socket = {
    readyState: WebSocket.OPEN,
    extensions: '',
    bufferedAmount: 0,
    stalled: false,
    send(frame: string) {
      frames.push(frame);
      if (this.stalled) this.bufferedAmount += Buffer.byteLength(frame) + 2; // + the frame header
    },
  };
  return { frames, socket, ws: socket as unknown as WebSocket };
}

function harness(hydrate: Hydrate, concurrency = 4) {
  const streams: Parameters<OpenStream>[0][] = [];
  const hub = new SubscriptionHub({ open: (options) => (streams.push(options), { stop: () => undefined }), concurrency, maxBatch: 1 });
  const subscribe = (sink: FrameSink, extra: { bufferSize?: number; onSlow?: (last: string | null) => void } = {}) =>
    new FederatedSubscription({
      split: splitSubscription(parse(QUERY), undefined, {}, routes),
      hub,
      hydrate,
      rights: { sub: 'someone', scopes: ['production:read'] },
      bufferSize: extra.bufferSize ?? 100,
      concurrency,
      onSlowConsumer: extra.onSlow ?? (() => undefined),
      sink,
    });
  return { streams, subscribe };
}

const hydrated = async (_query: string, vars: Record<string, unknown>): Promise<ExecutionResult> => ({
  data: { status: { eventId: vars.forgeEventId, state: 'RUNNING' } },
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('next frames written to the socket', () => {
  it('serializes each event once for all the subscribers of a group, whatever their number', async () => {
    const { streams, subscribe } = harness(hydrated);
    const sinks = Array.from({ length: 50 }, () => {
      const sent: { json: string }[] = [];
      subscribe({ send: (payload) => void sent.push(payload), backlog: () => 0, lastFlushed: () => null });
      return sent;
    });
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      streams[0]!.onEvent(id(1));
      await settle();
      expect(stringify).toHaveBeenCalledTimes(1);
    } finally {
      stringify.mockRestore();
    }
    for (const sent of sinks) expect(sent).toHaveLength(1);
    // The very same payload object (one serialization) went to every subscriber.
    expect(new Set(sinks.map((sent) => sent[0])).size).toBe(1);
    expect(JSON.parse(sinks[0]![0]!.json)).toEqual({ data: { status: { eventId: id(1), state: 'RUNNING' } } });
  });

  it('writes graphql-transport-ws next frames, with only the subscription id differing', () => {
    const payload = encodeNext({ result: { data: { status: { eventId: id(1) } }, errors: [new GraphQLError('partial', { path: ['status', 'machine'] })] } }, 'status');
    const { frames, ws } = fakeSocket();
    new SocketFrameSink(ws, 'a"1').send(payload, id(1));
    new SocketFrameSink(ws, '2').send(payload, id(1));
    expect(frames.map((f) => JSON.parse(f))).toEqual(
      ['a"1', '2'].map((sid) => ({
        id: sid,
        type: 'next',
        payload: { data: { status: { eventId: id(1) } }, errors: [{ message: 'partial', path: ['status', 'machine'] }] },
      })),
    );
    // Exactly what graphql-ws's own stringifyMessage gives for the same message.
    expect(frames[1]).toBe(JSON.stringify({ id: '2', type: 'next', payload: JSON.parse(payload.json) }));
  });

  it('an event gone from the stream still yields a frame, with the reason', () => {
    expect(JSON.parse(encodeNext({ result: { data: { status: null } } }, 'status').json)).toEqual({
      data: { status: null },
      errors: [{ message: 'the event is no longer retained', path: ['status'], extensions: { code: 'EVENT_ID_EXPIRED' } }],
    });
  });

  it('keeps event order when hydrations finish out of order', async () => {
    let releaseFirst!: () => void;
    const first = new Promise<void>((resolve) => (releaseFirst = resolve));
    const { streams, subscribe } = harness(async (query, vars) => {
      if (vars.forgeEventId === id(1)) await first;
      return hydrated(query, vars);
    });
    const { frames, ws } = fakeSocket();
    subscribe(new SocketFrameSink(ws, '1'));
    for (let n = 1; n <= 3; n++) streams[0]!.onEvent(id(n));
    await settle();
    expect(frames).toHaveLength(0); // 2 and 3 are hydrated, but 1 is not yet
    releaseFirst();
    await settle();
    expect(frames.map((f) => JSON.parse(f).payload.data.status.eventId)).toEqual([id(1), id(2), id(3)]);
  });

  it('counts frames the socket has not handed to the OS, and closes a slow consumer past the buffer', async () => {
    const { streams, subscribe } = harness(hydrated);
    const { frames, socket, ws } = fakeSocket();
    const onSlow = jest.fn();
    const sink = new SocketFrameSink(ws, '1');
    const subscription = subscribe(sink, { bufferSize: 3, onSlow });
    const ended = subscription.next();

    streams[0]!.onEvent(id(1));
    await settle();
    expect([sink.backlog(), sink.lastFlushed()]).toEqual([0, id(1)]);

    // The client stops reading: everything written from now on stays in the socket's buffer.
    socket.stalled = true;
    for (let n = 2; n <= 4; n++) streams[0]!.onEvent(id(n));
    await settle();
    expect(frames).toHaveLength(4);
    expect(onSlow).not.toHaveBeenCalled();
    expect([sink.backlog(), sink.lastFlushed()]).toEqual([3, id(1)]);
    streams[0]!.onEvent(id(5)); // a fourth frame kept in the buffer: more than 3
    await settle();
    expect(onSlow).toHaveBeenCalledWith(id(1));
    await expect(ended).resolves.toEqual({ done: true, value: undefined });
  });

  it('ends with the failure (graphql-ws then sends `error`) after every frame already written', async () => {
    const { streams, subscribe } = harness(hydrated);
    const { frames, ws } = fakeSocket();
    const subscription = subscribe(new SocketFrameSink(ws, '1'));
    const ended = subscription.next();
    streams[0]!.onEvent(id(1));
    await settle();
    streams[0]!.onFatal([{ message: 'stream refused', extensions: { code: 'BAD_USER_INPUT' } }]);
    await expect(ended).rejects.toMatchObject({ message: 'stream refused' });
    expect(frames).toHaveLength(1);
  });
});

describe('next frames written whole to the TCP socket', () => {
  type Pair = { server: WebSocket; raw: import('node:net').Socket; client: WebSocket; received: string[]; close(): Promise<void> };

  /** A ws server and a client connected to it; `received` collects the client's text messages in order. */
  async function connect(perMessageDeflate = false): Promise<Pair> {
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    const accepted = new Promise<{ server: WebSocket; raw: import('node:net').Socket }>((resolve) =>
      wss.once('connection', (server, request) => resolve({ server, raw: request.socket as import('node:net').Socket })),
    );
    const port = (wss.address() as import('node:net').AddressInfo).port;
    const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate });
    const received: string[] = [];
    client.on('message', (data, isBinary) => received.push(isBinary ? `binary:${String(data)}` : String(data)));
    await new Promise((resolve) => client.once('open', resolve));
    const { server, raw } = await accepted;
    return {
      server,
      raw,
      client,
      received,
      close: async () => {
        client.terminate();
        await new Promise((resolve) => wss.close(resolve));
      },
    };
  }

  /** A payload whose frame (prefix of subscription "1", payload, closing brace) is exactly `frameLength` bytes. */
  const payloadFor = (frameLength: number) => {
    const fixed = Buffer.byteLength('{"id":"1","type":"next","payload":') + Buffer.byteLength('{"data":{"s":""}}') + 1;
    const json = JSON.stringify({ data: { s: 'x'.repeat(frameLength - fixed) } });
    return { json, utf8: Buffer.from(json) };
  };

  it('builds RFC 6455 headers for each of the three length forms', () => {
    for (const [length, header] of [
      [125, [0x81, 125]],
      [126, [0x81, 126, 0, 126]],
      [65535, [0x81, 126, 0xff, 0xff]],
      [65536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]],
    ] as const) {
      const frame = textFrame(Buffer.from('{"id":"1","type":"next","payload":'), payloadFor(length).utf8);
      expect([...frame.subarray(0, header.length)]).toEqual(header);
      expect(frame.length).toBe(header.length + length);
      expect(frame[frame.length - 1]).toBe(0x7d);
    }
  });

  it('arrives as the same text messages graphql-ws would send, at every length form, in order with ws’s own frames', async () => {
    const pair = await connect();
    try {
      const write = jest.spyOn(pair.raw, 'write');
      const sink = new SocketFrameSink(pair.server, '1', pair.raw);
      const payloads = [125, 126, 65535, 65536, 70000].map(payloadFor);
      sink.send(payloads[0]!, id(1));
      pair.server.send(JSON.stringify({ id: '2', type: 'complete' }));
      for (const [n, payload] of payloads.slice(1).entries()) sink.send(payload, id(n + 2));
      pair.server.send(JSON.stringify({ id: '1', type: 'complete' }));
      await until(() => pair.received.length === 7);
      // Each next frame went out in one write of the whole frame (ws wrote its own two completes itself).
      const nextWrites = write.mock.calls.map(([chunk]) => chunk as Buffer).filter((chunk) => chunk.includes('"type":"next"'));
      expect(nextWrites.map((chunk) => chunk[0])).toEqual([0x81, 0x81, 0x81, 0x81, 0x81]);
      const next = (payload: { json: string }) => JSON.stringify({ id: '1', type: 'next', payload: JSON.parse(payload.json) });
      expect(pair.received).toEqual([
        next(payloads[0]!),
        JSON.stringify({ id: '2', type: 'complete' }),
        ...payloads.slice(1).map(next),
        JSON.stringify({ id: '1', type: 'complete' }),
      ]);
    } finally {
      await pair.close();
    }
  });

  it('leaves framing to ws when the connection negotiated permessage-deflate', async () => {
    const pair = await connect(true);
    try {
      expect(pair.server.extensions).toContain('permessage-deflate');
      const write = jest.spyOn(pair.raw, 'write');
      const payload = payloadFor(2000);
      new SocketFrameSink(pair.server, '1', pair.raw).send(payload, id(1));
      await until(() => pair.received.length === 1);
      expect(JSON.parse(pair.received[0]!)).toEqual({ id: '1', type: 'next', payload: JSON.parse(payload.json) });
      // ws compressed it: whatever reached the TCP socket went through ws's sender, not one whole-frame write.
      expect(write.mock.calls.every(([chunk]) => !(Buffer.isBuffer(chunk) && chunk[0] === 0x81))).toBe(true);
    } finally {
      await pair.close();
    }
  });

  it('counts frames the client does not read, written this way, as backlog', async () => {
    const pair = await connect();
    try {
      const sink = new SocketFrameSink(pair.server, '1', pair.raw);
      const payload = payloadFor(256 * 1024);
      sink.send(payload, id(1));
      await until(() => sink.lastFlushed() === id(1));
      // The client stops reading: the kernel's buffers fill, then the frames stay in the gateway.
      (pair.client as unknown as { _socket: import('node:net').Socket })._socket.pause();
      for (let n = 2; n <= 200 && sink.backlog() === 0; n++) sink.send(payload, id(n));
      expect(sink.backlog()).toBeGreaterThan(0);
      expect(pair.server.bufferedAmount).toBeGreaterThan(0);
      const last = sink.lastFlushed();
      expect(last).not.toBeNull();
      (pair.client as unknown as { _socket: import('node:net').Socket })._socket.resume();
      await until(() => sink.backlog() === 0);
      expect(sink.lastFlushed()).not.toBe(last);
    } finally {
      await pair.close();
    }
  });
});

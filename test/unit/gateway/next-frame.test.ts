import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import WebSocket from 'ws';
import { FederatedSubscription } from '../../../gateway/subscriptions/federated-subscription';
import type { Hydrate } from '../../../gateway/subscriptions/hydration-batcher';
import { encodeNext, SocketFrameSink, type FrameSink } from '../../../gateway/subscriptions/next-frame';
import { splitSubscription } from '../../../gateway/subscriptions/operation-split';
import { SubscriptionHub, type OpenStream } from '../../../gateway/subscriptions/subscription-hub';
import type { SubscriptionRoute } from '../../../gateway/subscriptions/subscription-routes';

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

import { parse, type ExecutionResult } from 'graphql';
import { FederatedSubscription } from '../../../gateway/subscriptions/federated-subscription';
import { splitSubscription } from '../../../gateway/subscriptions/operation-split';
import { SubscriptionHub, type OpenStream } from '../../../gateway/subscriptions/subscription-hub';
import type { SubscriptionRoute } from '../../../gateway/subscriptions/subscription-routes';
import type { UpstreamIdentity } from '../../../gateway/subscriptions/upstream';

const routes = new Map<string, SubscriptionRoute>([
  ['machineStatusChanged', { subgraph: 'mes', url: 'ws://mes/graphql', hydrationField: 'machineStatusEvent' }],
]);
const QUERY = 'subscription($m: [ID!], $after: ID) { machineStatusChanged(machineIds: $m, after: $after) { eventId state } }';
const OTHER_SELECTION = 'subscription($m: [ID!], $after: ID) { machineStatusChanged(machineIds: $m, after: $after) { eventId machine { id } } }';
const id = (n: number) => `1000-${n}`;

type FakeStream = Parameters<OpenStream>[0] & { stopped: boolean };

/** Upstream streams and hydrations the test drives by hand. */
function harness() {
  const streams: FakeStream[] = [];
  const hydrations: { eventId: string; query: string }[] = [];
  const hub = new SubscriptionHub({
    open: (options) => {
      const stream = { ...options, stopped: false };
      streams.push(stream);
      return { stop: () => void (stream.stopped = true) };
    },
    concurrency: 4,
  });
  const subscribe = (
    variables: Record<string, unknown> = {},
    extra: { query?: string; identity?: UpstreamIdentity; scopes?: string[]; bufferSize?: number; onSlow?: () => void } = {},
  ) =>
    new FederatedSubscription({
      split: splitSubscription(parse(extra.query ?? QUERY), undefined, variables, routes),
      hub,
      hydrate: async (query, vars) => {
        hydrations.push({ eventId: String(vars.forgeEventId), query });
        return { data: { machineStatusChanged: { eventId: vars.forgeEventId } } } as ExecutionResult;
      },
      rights: { sub: 'someone', scopes: extra.scopes ?? ['production:read'] },
      upstreamIdentity: extra.identity,
      bufferSize: extra.bufferSize ?? 100,
      concurrency: 4,
      onSlowConsumer: extra.onSlow ?? (() => undefined),
    });
  const live = () => streams.filter((s) => !s.stopped);
  return { hub, streams, hydrations, subscribe, live };
}

async function take(subscription: FederatedSubscription, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { value } = await subscription.next();
    ids.push((value as ExecutionResult<{ machineStatusChanged: { eventId: string } }>).data!.machineStatusChanged.eventId);
  }
  return ids;
}

describe('subscription sharing', () => {
  it('subscribers with the same key share one upstream stream and one hydration per event', async () => {
    const { subscribe, streams, hydrations, hub } = harness();
    const subscribers = Array.from({ length: 50 }, () => subscribe({ m: ['CUT-01'] }));
    expect(streams).toHaveLength(1);
    expect(streams[0].after).toBeNull();
    for (let n = 1; n <= 3; n++) streams[0].onEvent(id(n));
    for (const s of subscribers) expect(await take(s, 3)).toEqual([id(1), id(2), id(3)]);
    expect(hydrations.map((h) => h.eventId)).toEqual([id(1), id(2), id(3)]);
    expect(hub.stats()).toEqual({ upstreams: 1, groups: 1, members: 50 });
  });

  it('different filters or upstream identities get their own stream; different rights their own hydration', async () => {
    const { subscribe, streams, hydrations } = harness();
    const tenantA: UpstreamIdentity = { key: 'tenant-a', sign: () => 'a' };
    const tenantB: UpstreamIdentity = { key: 'tenant-b', sign: () => 'b' };
    subscribe({ m: ['CUT-01'] });
    subscribe({ m: ['CUT-02'] });
    subscribe({ m: ['CUT-01'] }, { identity: tenantA });
    subscribe({ m: ['CUT-01'] }, { identity: tenantB });
    expect(streams).toHaveLength(4);

    const reader = subscribe({ m: ['CUT-02'] }, { scopes: ['production:read', 'orders:read'] });
    const other = subscribe({ m: ['CUT-02'] }, { query: OTHER_SELECTION });
    expect(streams).toHaveLength(4);
    streams[1].onEvent(id(1));
    await take(reader, 1);
    await take(other, 1);
    // Same stream, three hydration groups (rights differ, selection differs): three hydrations of the event.
    expect(hydrations.filter((h) => h.eventId === id(1))).toHaveLength(3);
  });

  it('stops the upstream when the last subscriber leaves', async () => {
    const { subscribe, streams, hub } = harness();
    const [a, b] = [subscribe(), subscribe()];
    await a.return();
    expect(streams[0].stopped).toBe(false);
    await b.return();
    expect(streams[0].stopped).toBe(true);
    expect(hub.stats()).toEqual({ upstreams: 0, groups: 0, members: 0 });
    subscribe();
    expect(streams).toHaveLength(2);
  });

  it('a late joiner with after catches up on its own stream, then joins the shared one without duplicates', async () => {
    const { subscribe, streams, live, hydrations } = harness();
    const first = subscribe();
    const shared = streams[0];
    for (let n = 1; n <= 3; n++) shared.onEvent(id(n));

    const late = subscribe({ after: id(1) });
    expect(streams).toHaveLength(2);
    const own = streams[1];
    expect(own.after).toBe(id(1));
    shared.onEvent(id(4)); // held aside while catching up
    own.onEvent(id(2));
    own.onEvent(id(3));
    expect(live()).toHaveLength(2);
    own.onEvent(id(4)); // meets the held event: own stream stops
    expect(own.stopped).toBe(true);
    shared.onEvent(id(5));
    expect(await take(late, 4)).toEqual([id(2), id(3), id(4), id(5)]);
    expect(await take(first, 5)).toEqual([1, 2, 3, 4, 5].map(id));
    expect(hydrations.filter((h) => h.eventId === id(5))).toHaveLength(1);
  });

  it('a late joiner whose own stream is ahead of the shared one skips what the shared one delivers late', async () => {
    const { subscribe, streams } = harness();
    subscribe();
    const late = subscribe({ after: id(1) });
    const [shared, own] = streams;
    own.onEvent(id(2));
    own.onEvent(id(3));
    shared.onEvent(id(2)); // held: the shared stream is behind
    own.onEvent(id(4)); // past the held event: own stream stops
    expect(own.stopped).toBe(true);
    for (let n = 3; n <= 5; n++) shared.onEvent(id(n)); // id(3), id(4) were taken from the own stream
    expect(await take(late, 4)).toEqual([2, 3, 4, 5].map(id));
    shared.onEvent(id(6));
    expect(await take(late, 1)).toEqual([id(6)]);
  });

  it('a resume point the subgraph refuses ends only that subscriber', async () => {
    const { subscribe, streams } = harness();
    const first = subscribe();
    const late = subscribe({ after: 'yesterday' });
    streams[1].onFatal([{ message: 'bad after', extensions: { code: 'BAD_USER_INPUT' } }]);
    await expect(late.next()).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    streams[0].onEvent(id(1));
    expect(await take(first, 1)).toEqual([id(1)]);
    expect(streams[0].stopped).toBe(false);
  });

  it('a slow subscriber is closed without holding up its group', async () => {
    const { subscribe, streams } = harness();
    const onSlow = jest.fn();
    const fast = subscribe({}, { bufferSize: 5 });
    subscribe({}, { bufferSize: 5, onSlow });
    for (let n = 1; n <= 20; n++) {
      streams[0].onEvent(id(n));
      expect(await take(fast, 1)).toEqual([id(n)]);
    }
    expect(onSlow).toHaveBeenCalledTimes(1);
    expect(streams[0].stopped).toBe(false);
  });
});

import { createClient } from 'redis';
import { startService, startStack, type Service, type Stack } from '../../fixtures/stack';

/**
 * Two gateway processes share token buckets in the real Redis: together they enforce one limit per caller.
 * Keys live under a prefix unique to this run and are deleted afterwards.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `forge-test:ratelimit:${process.pid}-${Date.now().toString(36)}`;

describe('rate limiting across gateway instances (Redis)', () => {
  let stack: Stack;
  let second: Service;
  const admin = createClient({ url: REDIS_URL });
  // 20 per minute, burst 20: one token back every 3 s, so 21 quick requests see exactly one refusal.
  const env = { REDIS_URL, RATE_LIMIT_PER_MINUTE: '20', RATE_LIMIT_BURST: '20', RATE_LIMIT_KEY_PREFIX: PREFIX };

  beforeAll(async () => {
    await admin.connect();
    stack = await startStack({ seed: 2, scale: 10, env });
    second = await startService('gateway', { ...env, SUBGRAPH_URL_ERP: stack.erpUrl, SUBGRAPH_URL_MES: stack.mesUrl });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([stack?.stop(), second?.stop()]);
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 1000 })) keys.push(...batch);
    if (keys.length) await admin.del(keys);
    await admin.close();
  });

  const hit = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });

  it('lets 20 requests split across both gateways through, refuses the 21st with 429 and Retry-After', async () => {
    const urls = [stack.gatewayUrl, second.url];
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await hit(urls[i % 2])).status);
    expect(statuses).toEqual(Array(20).fill(200));

    const refused = await hit(urls[0]);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    const body = (await refused.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter });
    // The other instance agrees: the bucket is shared.
    expect((await hit(urls[1])).status).toBe(429);

    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 100 })) keys.push(...batch);
    expect(keys).toHaveLength(1);
    expect(await admin.pTTL(keys[0])).toBeGreaterThan(0);
  });
});

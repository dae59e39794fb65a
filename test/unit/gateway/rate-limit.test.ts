import { RedisRateLimiter } from '../../../gateway/rate-limit/redis-bucket';
import { MemoryRateLimiter } from '../../../gateway/rate-limit/token-bucket';

describe('token bucket', () => {
  it('allows the burst, refuses with a Retry-After, refills at the rate', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ perMinute: 60, burst: 3 }, () => now);
    const take = () => limiter.take('ip:1', 1);
    expect((await Promise.all([take(), take(), take()])).every((d) => d.allowed)).toBe(true);
    expect(await take()).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await limiter.take('ip:2', 1)).allowed).toBe(true); // buckets are per caller
    now += 1_000;
    expect((await take()).allowed).toBe(true);
    expect(await limiter.take('ip:1', 5)).toEqual({ allowed: false, retryAfterSeconds: 5 });
    await limiter.close();
  });

  it('fails open, with a warning, when Redis cannot be reached', async () => {
    const warnings: unknown[] = [];
    const limiter = RedisRateLimiter.start({
      url: 'redis://127.0.0.1:1',
      keyPrefix: 'forge-test:unreachable',
      perMinute: 1,
      burst: 1,
      onUnavailable: (error) => warnings.push(error),
    });
    for (let i = 0; i < 3; i++) expect((await limiter.take('ip:1', 1)).allowed).toBe(true);
    expect(warnings.length).toBeGreaterThan(0);
    await limiter.close();
  });
});

/**
 * Token buckets, one per caller key: `burst` tokens at most, refilled at `perMinute` / 60 per second; a request
 * takes one token per operation. Two stores with one contract: in memory (one gateway) and Redis (every gateway
 * instance shares the buckets; see redis-bucket.ts).
 */
export interface RateLimitOptions {
  /** Sustained rate per caller; 0 switches rate limiting off. */
  perMinute: number;
  /** Bucket size: requests a caller may send at once after being idle. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perMinute: 600, burst: 100 };

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until enough tokens are back (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string, tokens: number): Promise<RateDecision>;
  close(): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Refill, then take: the same arithmetic as the Redis script. */
export function takeFromBucket(bucket: Bucket | undefined, now: number, cost: number, options: RateLimitOptions) {
  const perMs = options.perMinute / 60_000;
  const refilled = bucket ? Math.min(options.burst, bucket.tokens + (now - bucket.at) * perMs) : options.burst;
  if (refilled >= cost) return { bucket: { tokens: refilled - cost, at: now }, decision: { allowed: true, retryAfterSeconds: 0 } };
  const retryAfterSeconds = Math.max(1, Math.ceil((cost - refilled) / perMs / 1000));
  return { bucket: { tokens: refilled, at: now }, decision: { allowed: false, retryAfterSeconds } };
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    // A bucket idle long enough to be full again is the same as no bucket: forget it, so memory stays bounded.
    const fullAfterMs = (options.burst / options.perMinute) * 60_000;
    this.sweep = setInterval(() => {
      const cutoff = this.now() - fullAfterMs;
      for (const [key, bucket] of this.buckets) if (bucket.at < cutoff) this.buckets.delete(key);
    }, Math.max(1_000, Math.min(fullAfterMs, 60_000)));
    this.sweep.unref();
  }

  async take(key: string, tokens: number): Promise<RateDecision> {
    const { bucket, decision } = takeFromBucket(this.buckets.get(key), this.now(), tokens, this.options);
    this.buckets.set(key, bucket);
    return decision;
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
  }
}

/** Rate limiting switched off. */
export const unlimited: RateLimiter = {
  take: async () => ({ allowed: true, retryAfterSeconds: 0 }),
  close: async () => undefined,
};

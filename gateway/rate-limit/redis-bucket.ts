import { createHash } from 'node:crypto';
import { createClient, ErrorReply } from 'redis';
import type { RateDecision, RateLimiter, RateLimitOptions } from './token-bucket';

/**
 * The bucket as one hash per caller (`tokens`, `at` in ms), refilled and taken from atomically on the Redis clock
 * (so gateways with skewed clocks agree). The key expires when the bucket would be full again: an idle caller
 * costs no memory. Reply: { allowed 0|1, retry-after in ms }.
 * KEYS[1] bucket; ARGV: tokens per ms, burst, cost.
 */
const TAKE = `
local perMs = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = burst
if state[1] then tokens = math.min(burst, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * perMs) end
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 1000)
return { allowed, retry }
`;
const TAKE_SHA = createHash('sha1').update(TAKE).digest('hex');

export interface RedisRateLimiterOptions extends RateLimitOptions {
  url: string;
  /** Buckets live under `<keyPrefix>:<caller key>`. */
  keyPrefix: string;
  /** Called when Redis cannot answer: the request is let through (fail open). */
  onUnavailable(error: unknown): void;
  commandTimeoutMs?: number;
}

/**
 * Shared by every gateway instance. If Redis is down or slow the limiter fails OPEN (the request passes and
 * `onUnavailable` logs a warning): an outage of the limiter must not refuse every caller of the graph.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly client;

  private constructor(private readonly options: RedisRateLimiterOptions) {
    const timeout = options.commandTimeoutMs ?? 250;
    this.client = createClient({
      url: options.url,
      name: 'forge-gateway-rate-limit',
      disableOfflineQueue: true,
      commandOptions: { timeout },
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000) },
    });
    this.client.on('error', (error: unknown) => options.onUnavailable(error));
  }

  /** Starts connecting in the background: until connected, requests pass (fail open). */
  static start(options: RedisRateLimiterOptions): RedisRateLimiter {
    const limiter = new RedisRateLimiter(options);
    limiter.client.connect().catch((error: unknown) => options.onUnavailable(error));
    return limiter;
  }

  async take(key: string, tokens: number): Promise<RateDecision> {
    const { perMinute, burst, keyPrefix } = this.options;
    const keys = [`${keyPrefix}:${key}`];
    const args = [String(perMinute / 60_000), String(burst), String(tokens)];
    try {
      let reply: unknown;
      try {
        reply = await this.client.evalSha(TAKE_SHA, { keys, arguments: args });
      } catch (error) {
        if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
        reply = await this.client.eval(TAKE, { keys, arguments: args });
      }
      const [allowed, retryMs] = reply as [number, number];
      return allowed === 1
        ? { allowed: true, retryAfterSeconds: 0 }
        : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(retryMs) / 1000)) };
    } catch (error) {
      this.options.onUnavailable(error);
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close().catch(() => undefined);
    else this.client.destroy();
  }
}

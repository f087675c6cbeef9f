/** Per-key rate limiting: a token bucket per principal in memory, refilled continuously; 429 with Retry-After. */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../context.ts';

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/** A bucket of `perMinute` tokens per key, refilling at `perMinute` per minute. */
export function createTokenBuckets({ perMinute, now }: { perMinute: number; now: () => number }) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return {
    take(key: string): TakeResult {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: t };
      bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, t - bucket.at) * perMs);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
      bucket.tokens -= 1;
      return { ok: true, remaining: Math.floor(bucket.tokens) };
    },
  };
}

/** Limits each authenticated key (run after `authenticate`). Only configured keys get a bucket. */
export function rateLimit({ perMinute, now }: { perMinute: number; now: () => number }): MiddlewareHandler<AppEnv> {
  const buckets = createTokenBuckets({ perMinute, now });
  return async (c, next) => {
    const result = buckets.take(c.get('principal').id);
    c.header('x-ratelimit-limit', String(perMinute));
    if (!result.ok) {
      throw new ApiError('rate_limited', `This key may make ${perMinute} requests per minute; retry in ${result.retryAfterSeconds} s.`, {
        headers: { 'retry-after': String(result.retryAfterSeconds), 'x-ratelimit-limit': String(perMinute), 'x-ratelimit-remaining': '0' },
      });
    }
    c.header('x-ratelimit-remaining', String(result.remaining));
    await next();
  };
}

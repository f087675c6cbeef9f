/** Rate limiting: token buckets in memory, refilled continuously, per principal and per unauthenticated address; 429 with Retry-After. */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../context.ts';

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/** A bucket of `perMinute` tokens per key, refilling at `perMinute` per minute. */
export function createTokenBuckets({ perMinute, now }: { perMinute: number; now: () => number }) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  let sweptAt = now();
  /** Forgets buckets that have filled up again (they equal a new one), so one per address ever seen is not kept. */
  const sweep = (t: number) => {
    if (t - sweptAt < 60_000) return;
    sweptAt = t;
    for (const [key, bucket] of buckets) if (bucket.tokens + (t - bucket.at) * perMs >= perMinute) buckets.delete(key);
  };
  return {
    /** How many buckets are kept (for tests). */
    get size() {
      return buckets.size;
    },
    take(key: string): TakeResult {
      const t = now();
      sweep(t);
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

/** The peer address of the connection (@hono/node-server puts the socket in `c.env`); one shared bucket otherwise. */
export function clientAddressOf(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export const tooMany = (message: string, perMinute: number, retryAfterSeconds: number) =>
  new ApiError('rate_limited', `${message}; retry in ${retryAfterSeconds} s.`, {
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-limit': String(perMinute), 'x-ratelimit-remaining': '0' },
  });

/**
 * `perMinute` requests per principal (every key of a merchant shares one budget), and as many per client
 * address for requests that fail to authenticate, so guessing keys is limited too.
 */
export function rateLimits({ perMinute, now }: { perMinute: number; now: () => number }) {
  const principals = createTokenBuckets({ perMinute, now });
  const strangers = createTokenBuckets({ perMinute, now });
  return {
    /** For `authenticate`'s `onRejected`: throws 429 once an address has spent its budget on failed attempts. */
    unauthenticated(c: Context<AppEnv>): void {
      const result = strangers.take(clientAddressOf(c));
      if (!result.ok) throw tooMany(`Too many unauthenticated requests from this address (${perMinute} per minute)`, perMinute, result.retryAfterSeconds);
    },
    /** Run after `authenticate`. */
    authenticated: (async (c, next) => {
      const result = principals.take(c.get('principal').id);
      c.header('x-ratelimit-limit', String(perMinute));
      if (!result.ok) throw tooMany(`This key may make ${perMinute} requests per minute`, perMinute, result.retryAfterSeconds);
      c.header('x-ratelimit-remaining', String(result.remaining));
      await next();
    }) satisfies MiddlewareHandler<AppEnv>,
  };
}

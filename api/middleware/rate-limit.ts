/**
 * Rate limiting: token buckets refilled continuously, per principal (in this process) and per address for
 * unauthenticated requests (on the database when the app has one, shared by every process); 429 with Retry-After.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AddressBudget } from '../../src/auth/key-check-budgets.ts';
import { isFullAgain, spendToken, type Bucket, type BudgetAnswer } from '../../src/auth/token-bucket.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../context.ts';

export type TakeResult = BudgetAnswer;

/** A bucket of `perMinute` tokens per key in this process, refilling at `perMinute` per minute. */
export function createTokenBuckets({ perMinute, now }: { perMinute: number; now: () => number }) {
  const buckets = new Map<string, Bucket>();
  let sweptAt = now();
  /** Forgets buckets that have filled up again (they equal a new one), so one per address ever seen is not kept. */
  const sweep = (t: number) => {
    if (t - sweptAt < 60_000) return;
    sweptAt = t;
    for (const [key, bucket] of buckets) if (isFullAgain(bucket, t, perMinute)) buckets.delete(key);
  };
  return {
    /** How many buckets are kept (for tests). */
    get size() {
      return buckets.size;
    },
    take(key: string): TakeResult {
      const t = now();
      sweep(t);
      const { bucket, answer } = spendToken(buckets.get(key), t, perMinute);
      buckets.set(key, bucket);
      return answer;
    },
  };
}

/** Per-address budgets in this process: for a single process, and for tests. */
export function memoryBudget({ perMinute, now }: { perMinute: number; now: () => number }): AddressBudget {
  const buckets = createTokenBuckets({ perMinute, now });
  return { perMinute, take: async (address) => buckets.take(address) };
}

/** The peer address of the connection (@hono/node-server puts the socket in `c.env`); one shared bucket otherwise. */
export function clientAddressOf(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers) beside the older X-RateLimit ones: the
 * policy (`q` requests per `w` seconds, per key or per address) and what is left of it (`r`), with `t` the
 * seconds until the bucket is full again (or, once spent, until the next request may be made).
 */
function rateLimitHeaders(policy: 'key' | 'address', perMinute: number, remaining: number, seconds: number): Record<RateLimitHeader, string> {
  return {
    'ratelimit-policy': `"${policy}";q=${perMinute};w=60`,
    ratelimit: `"${policy}";r=${remaining};t=${seconds}`,
    'x-ratelimit-limit': String(perMinute),
    'x-ratelimit-remaining': String(remaining),
  };
}

/** The rate-limit fields every /v1 answer carries (a 304 keeps them too). */
export const RATE_LIMIT_HEADERS = ['ratelimit-policy', 'ratelimit', 'x-ratelimit-limit', 'x-ratelimit-remaining'] as const;
type RateLimitHeader = (typeof RATE_LIMIT_HEADERS)[number];

/** Seconds until a bucket with `remaining` of `perMinute` tokens is full again. */
const secondsToFull = (perMinute: number, remaining: number) => Math.ceil(((perMinute - remaining) * 60) / perMinute);

const tooMany = (message: string, policy: 'key' | 'address', perMinute: number, retryAfterSeconds: number) =>
  new ApiError('rate_limited', `${message}; retry in ${retryAfterSeconds} s.`, {
    headers: { 'retry-after': String(retryAfterSeconds), ...rateLimitHeaders(policy, perMinute, 0, retryAfterSeconds) },
  });

/** Spends one of the client address's `budget` on `what` (a failed key, a sign-in), or throws 429 once it is spent. */
export async function spendAddressBudget(budget: AddressBudget, c: Context, what: string): Promise<void> {
  const result = await budget.take(clientAddressOf(c));
  if (!result.ok) throw tooMany(`Too many ${what} from this address (${budget.perMinute} per minute)`, 'address', budget.perMinute, result.retryAfterSeconds);
}

/**
 * `perMinute` requests per principal (every key of a merchant shares one budget), and as many per client
 * address for requests that fail to authenticate (`strangers`: shared by every API process when on the
 * database), so guessing keys is limited too.
 */
export function rateLimits({ perMinute, now, strangers = memoryBudget({ perMinute, now }) }: { perMinute: number; now: () => number; strangers?: AddressBudget }) {
  const principals = createTokenBuckets({ perMinute, now });
  return {
    /** For `authenticate`'s `onRejected`: throws 429 once an address has spent its budget on failed attempts. */
    unauthenticated: (c: Context<AppEnv>): Promise<void> => spendAddressBudget(strangers, c, 'unauthenticated requests'),
    /** Run after `authenticate`. */
    authenticated: (async (c, next) => {
      const result = principals.take(c.get('principal').id);
      if (!result.ok) throw tooMany(`This key may make ${perMinute} requests per minute`, 'key', perMinute, result.retryAfterSeconds);
      for (const [name, value] of Object.entries(rateLimitHeaders('key', perMinute, result.remaining, secondsToFull(perMinute, result.remaining)))) c.header(name, value);
      await next();
    }) satisfies MiddlewareHandler<AppEnv>,
  };
}

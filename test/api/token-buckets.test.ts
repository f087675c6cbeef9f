/** The in-memory token buckets behind the rate limits: refill, refusal, and a map that does not grow without end. */
import { describe, expect, it } from 'vitest';
import { createTokenBuckets } from '../../api/middleware/rate-limit.ts';

describe('token buckets', () => {
  it('refuses past the budget, says when to retry, and refills with time', () => {
    let t = 0;
    const buckets = createTokenBuckets({ perMinute: 2, now: () => t });
    expect(buckets.take('a')).toMatchObject({ ok: true });
    expect(buckets.take('a')).toMatchObject({ ok: true });
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 30 });
    t += 30_000;
    expect(buckets.take('a')).toMatchObject({ ok: true });
  });

  it('forgets the buckets of addresses that have refilled, so a stream of one-off addresses is not kept', () => {
    let t = 0;
    const buckets = createTokenBuckets({ perMinute: 10, now: () => t });
    for (let i = 0; i < 1_000; i += 1) buckets.take(`10.0.${i >> 8}.${i & 255}`);
    expect(buckets.size).toBe(1_000);
    t += 61_000;
    buckets.take('10.9.9.9');
    expect(buckets.size).toBe(1);
  });
});

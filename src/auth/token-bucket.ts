/** Token-bucket arithmetic, free of storage: a bucket of `perMinute` tokens refilling at `perMinute` per minute. */

export type BudgetAnswer = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

/** Refills `bucket` up to time `t` and spends one token if it has one: the bucket to keep, and the answer. */
export function spendToken(bucket: Bucket | undefined, t: number, perMinute: number): { bucket: Bucket; answer: BudgetAnswer } {
  const perMs = perMinute / 60_000;
  const previous = bucket ?? { tokens: perMinute, at: t };
  const tokens = Math.min(perMinute, previous.tokens + Math.max(0, t - previous.at) * perMs);
  if (tokens < 1) return { bucket: { tokens, at: t }, answer: { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) } };
  return { bucket: { tokens: tokens - 1, at: t }, answer: { ok: true, remaining: Math.floor(tokens - 1) } };
}

/** A bucket that has refilled to the brim by `t` holds nothing a fresh one would not: it can be forgotten. */
export const isFullAgain = (bucket: Bucket, t: number, perMinute: number) => bucket.tokens + (t - bucket.at) * (perMinute / 60_000) >= perMinute;

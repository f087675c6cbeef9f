/** Simulated network conditions for a simulator: added latency and a share of requests answered 503. */
import type { MiddlewareHandler } from 'hono';
import { errorBody } from './request-body.ts';

export interface ChaosOptions {
  /** Mean added delay per request; each request waits between half and one and a half times this. */
  latencyMs?: number;
  /** Share (0..1) of requests answered 503 before the simulator does anything. */
  failureRate?: number;
  /** Decides which requests fail; injectable so tests choose the sequence. */
  random?: () => number;
  /** Injectable so tests need not wait in real time. */
  sleep?: (ms: number) => Promise<void>;
}

/** A delay that does not keep the process alive: a held response must not block shutdown. */
export const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    setTimeout(resolve, ms).unref();
  });

export function chaos(options: ChaosOptions): MiddlewareHandler {
  const latencyMs = options.latencyMs ?? 0;
  const failureRate = options.failureRate ?? 0;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError(`failureRate must be between 0 and 1, got ${failureRate}`);
  if (!(latencyMs >= 0)) throw new RangeError(`latencyMs must be 0 or more, got ${latencyMs}`);
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  return async (c, next) => {
    // Decided before the delay and from the injected source only, so a seeded test sees the same failures
    // whatever the latency; the jitter is cosmetic and may use Math.random.
    const fail = failureRate > 0 && random() < failureRate;
    if (latencyMs > 0) await wait(Math.round(latencyMs * (0.5 + Math.random())));
    if (fail) return c.json(errorBody('unavailable', 'simulated outage; nothing was done, try again'), 503);
    await next();
  };
}

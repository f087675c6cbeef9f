/**
 * The load drivers: a sequential run of N requests (latency without queueing) and a closed loop of K lanes
 * for a fixed time (throughput at a given concurrency), plus the percentile arithmetic. A request is a
 * function that answers ok with an id or an error reason; every error is counted by reason, none is dropped,
 * and only successful requests enter the latency figures.
 */

export type Outcome = { ok: true; id: string } | { ok: false; error: string; id?: string };
export type Send = () => Promise<Outcome>;

export interface PhaseSamples {
  requests: number;
  /** Latency of each successful request, ms. */
  latenciesMs: number[];
  /** Error reason → count. */
  errors: Record<string, number>;
  /** Ids of the requests that succeeded (checkouts the benchmark saw complete). */
  okIds: string[];
  /** Wall time from the first request to the last answer, ms. */
  elapsedMs: number;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function emptySamples(): PhaseSamples {
  return { requests: 0, latenciesMs: [], errors: {}, okIds: [], elapsedMs: 0 };
}

/** Sends one request and records it; a thrown error is an error outcome, never an escape from the phase. */
async function record(samples: PhaseSamples, send: Send): Promise<void> {
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    outcome = await send();
  } catch (error) {
    outcome = { ok: false, error: `threw: ${(error as Error).message}` };
  }
  const ms = performance.now() - t0;
  samples.requests += 1;
  if (outcome.ok) {
    samples.latenciesMs.push(ms);
    samples.okIds.push(outcome.id);
  } else {
    samples.errors[outcome.error] = (samples.errors[outcome.error] ?? 0) + 1;
  }
}

export async function runSequential(count: number, send: Send): Promise<PhaseSamples> {
  const samples = emptySamples();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await record(samples, send);
  samples.elapsedMs = performance.now() - t0;
  return samples;
}

/**
 * `lanes` callers, each sending its next request as soon as the previous one answered, until `durationMs`
 * has passed. Requests still in flight at the deadline are awaited and counted, and the elapsed time runs
 * to the last answer, so throughput is answers over the time they took.
 */
/** One request at a time for as long as `going()` says. */
export async function runSequentialWhile(going: () => boolean, send: Send): Promise<PhaseSamples> {
  const samples = emptySamples();
  const t0 = performance.now();
  while (going()) await record(samples, send);
  samples.elapsedMs = performance.now() - t0;
  return samples;
}

export async function runClosedLoop(lanes: number, durationMs: number, send: Send): Promise<PhaseSamples> {
  const samples = emptySamples();
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const lane = async () => {
    while (performance.now() < deadline) await record(samples, send);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  samples.elapsedMs = performance.now() - t0;
  return samples;
}

/** Nearest-rank percentile of ascending values. */
/** x ÷ y to two decimals; null when either is missing or y is 0. */
export function ratioOf(x: number | null | undefined, y: number | null | undefined): number | null {
  return x === null || x === undefined || !y ? null : Math.round((x / y) * 100) / 100;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1)!),
    mean: round(sorted.reduce((sum, v) => sum + v, 0) / sorted.length),
  };
}

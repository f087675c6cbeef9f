/**
 * Fairness between merchants under a flood: one merchant sends checkouts in a closed loop of 64 lanes while
 * another sends one checkout at a time; the other merchant's latency is reported beside its latency alone
 * (the saga's c1 phase). On a server with task-queue fairness (`BENCH_TEMPORAL=server`: 1.32 with
 * `matching.enableFairness`) the other merchant's checkouts take turns with the flood's instead of queueing
 * behind every one of them; the dev server (1.29) serves them first in, first out.
 */
import { ratioOf, runClosedLoop, runSequentialWhile, summarize, type LatencySummary, type Send } from './load.ts';

/** The second merchant of the bench stack, whose checkouts flood the queue. */
export const FLOOD_MERCHANT = { id: 'mer_flood', key: 'bench_flood_merchant_key' } as const;

export interface FairnessResult {
  lanes: number;
  flood: { ok: number; errors: number; throughputPerSec: number; latencyMs: LatencySummary | null };
  other: { ok: number; errors: number; latencyMs: LatencySummary | null };
  /** The other merchant's p50 and p99 during the flood, over its c1 p50 and p99 alone. */
  otherSlowdown: { p50: number | null; p99: number | null };
}

const LANES = 64;

/** The result, and the checkouts completed in the phase (for the invariants). */
export async function measureFairness(flood: Send, other: Send, durationMs: number, alone: LatencySummary | null): Promise<{ result: FairnessResult; okIds: string[] }> {
  let flooding = true;
  const floodRun = runClosedLoop(LANES, durationMs, flood).finally(() => (flooding = false));
  // Once the lanes are busy, one checkout at a time for as long as they flood.
  await new Promise((r) => setTimeout(r, 1_000));
  const otherSamples = await runSequentialWhile(() => flooding, other);
  const floodSamples = await floodRun;
  const otherLatency = summarize(otherSamples.latenciesMs);
  const result: FairnessResult = {
    lanes: LANES,
    flood: {
      ok: floodSamples.okIds.length,
      errors: floodSamples.requests - floodSamples.okIds.length,
      throughputPerSec: Math.round((floodSamples.okIds.length / (floodSamples.elapsedMs / 1000)) * 10) / 10,
      latencyMs: summarize(floodSamples.latenciesMs),
    },
    other: { ok: otherSamples.okIds.length, errors: otherSamples.requests - otherSamples.okIds.length, latencyMs: otherLatency },
    otherSlowdown: { p50: ratioOf(otherLatency?.p50, alone?.p50), p99: ratioOf(otherLatency?.p99, alone?.p99) },
  };
  return { result, okIds: [...floodSamples.okIds, ...otherSamples.okIds] };
}

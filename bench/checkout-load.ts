/**
 * Load benchmark against the running stack (`npm start` first): sends BENCH_CHECKOUTS checkouts with
 * BENCH_CONCURRENCY in flight, each `Prefer: wait=30`, and reports throughput and end-to-end latency
 * percentiles (request → final state). Run: `npm run bench` (numbers are printed, not asserted).
 */
import { loadConfig } from '../src/config.ts';
import { readStackFile } from '../src/cli/stack-file.ts';

const total = Number(process.env.BENCH_CHECKOUTS ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 20);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  const stack = readStackFile(loadConfig().dataDir);
  if (!stack.keys) throw new Error('the benchmark needs the development keys of a local stack');
  const headers = { authorization: `Bearer ${stack.keys.merchant}`, 'content-type': 'application/json', prefer: 'wait=30' };
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  let next = 0;
  const memoryBefore = process.memoryUsage().rss;
  const started = performance.now();

  async function lane() {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      const response = await fetch(`${stack.api}/v1/checkouts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          customer: { id: `cus_bench_${i % 50}`, email: `bench${i % 50}@example.com` },
          items: [{ sku: 'SKU-STICKER', quantity: 1 }],
          currency: 'USD',
          payment: { token: 'tok_visa' },
          shippingAddress: { line1: '1 Bench St', city: 'Springfield', postalCode: '12345', country: 'US' },
        }),
      });
      const body = (await response.json()) as { status?: string };
      latencies.push(performance.now() - t0);
      const key = `${response.status} ${body.status ?? ''}`.trim();
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(JSON.stringify({
    checkouts: total,
    concurrency,
    seconds: Number(seconds.toFixed(2)),
    throughputPerSecond: Number((total / seconds).toFixed(1)),
    latencyMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)), p99: Math.round(percentile(latencies, 99)), max: Math.round(latencies.at(-1)!) },
    outcomes: Object.fromEntries(outcomes),
    clientRssMb: Math.round((process.memoryUsage().rss - memoryBefore) / 1e6),
  }, null, 2));
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});

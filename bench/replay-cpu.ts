/**
 * The CPU one checkout's workflow code costs the worker, without a load test: the workflow bundle workers
 * load (bundleWorkflows, with its interceptor modules) replays a recorded history of
 * test/replay/histories/ many times in this process, one after another, and process.cpuUsage() counts what
 * each window of replays took. A replay runs the worker's own activation path (sandbox, interceptors, codec)
 * without the server or the activities: a change that makes every run evaluate or do more shows here.
 * Usage: node --import tsx bench/replay-cpu.ts [--traced] [history, default completed]. Knobs: REPLAY_WARMUP
 * (100 replays before measuring), REPLAY_COUNT (500 per window), REPLAY_WINDOWS (3). --traced: the start's
 * headers carry a trace (`_tracer-data`), as a checkout started with tracing on.
 */
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../src/roles/checkout-worker.ts';
import { installQuietRuntime, readHistory, replayOptions } from './replay-support.ts';

const args = process.argv.slice(2);
const traced = args.includes('--traced');
const name = args.find((a) => !a.startsWith('--')) ?? 'completed';
const warmup = Number(process.env.REPLAY_WARMUP ?? 100);
const count = Number(process.env.REPLAY_COUNT ?? 500);
const windows = Number(process.env.REPLAY_WINDOWS ?? 3);

const history = readHistory(name);
if (traced) {
  // What the client's tracing interceptor writes: the W3C trace context, as a plain JSON payload.
  const started = history.events[0]!.workflowExecutionStartedEventAttributes!;
  const context = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  started.header = { fields: { ...started.header?.fields, '_tracer-data': { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(context)).toString('base64') } } };
}

installQuietRuntime();
const { code } = await bundleWorkflows();

function* histories() {
  for (let i = 0; i < warmup + windows * count; i++) yield { workflowId: `replay-${i}`, history };
}

const perReplayUs: number[] = [];
let replayed = 0;
let windowStart = process.cpuUsage();
const options = replayOptions(code, 'replay-cpu');
for await (const result of Worker.runReplayHistories(options, histories())) {
  if (result.error) throw result.error;
  replayed++;
  if (replayed < warmup || (replayed - warmup) % count !== 0) continue;
  if (replayed > warmup) {
    const { user, system } = process.cpuUsage(windowStart);
    perReplayUs.push((user + system) / count);
  }
  windowStart = process.cpuUsage();
}

const round = (us: number) => Math.round(us);
console.log(`${name}${traced ? ' (traced)' : ''}: CPU per replay, ${windows} windows of ${count} after ${warmup}: ${perReplayUs.map((us) => `${round(us)} µs`).join(', ')}`);

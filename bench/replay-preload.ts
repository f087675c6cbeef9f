/**
 * The CPU a replay of one recorded checkout history costs the worker process, with the sandbox's modules as the
 * worker bundles them (WORKFLOW_PRELOAD_MODULES) and with none (the SDK's default, which keeps a stack per
 * workflow promise): both bundles replayed in turn in one process, so a busy machine weighs on both alike.
 * No server: `Worker.runReplayHistories` as in test/replay. Each round replays the history n+1 times per
 * bundle and counts the CPU from the first result on (the replay worker's start-up left out).
 *
 * Usage: node --import tsx bench/replay-preload.ts [n=100] [rounds=7] [history=completed] (test/replay/histories/<history>.json)
 */
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../src/roles/checkout-worker.ts';
import { installQuietRuntime, readHistory, replayOptions } from './replay-support.ts';

const [n = '100', rounds = '7', name = 'completed'] = process.argv.slice(2);
const N = Number(n);
// tsx turns Node's source maps on, which adds a cost per compiled function; a production worker (plain node) runs without.
process.setSourceMapsEnabled(false);

const bundles = { worker: await bundleWorkflows(), 'sdk default': await bundleWorkflows({ preloadModules: [] }) };
installQuietRuntime();
const history = readHistory(name);

const perReplay = new Map(Object.keys(bundles).map((variant) => [variant, [] as number[]]));
for (let round = 0; round < Number(rounds); round++) {
  for (const [variant, { code }] of Object.entries(bundles)) {
    const histories = Array.from({ length: N + 1 }, (_, i) => ({ workflowId: `${name}-${round}-${i}`, history }));
    let start: NodeJS.CpuUsage | undefined;
    for await (const result of Worker.runReplayHistories(replayOptions(code, 'replay-preload'), histories)) {
      if (result.error) throw result.error;
      start ??= process.cpuUsage();
    }
    const used = process.cpuUsage(start);
    perReplay.get(variant)!.push((used.user + used.system) / 1000 / N);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [variant, xs] of perReplay) {
  console.log(`${variant.padEnd(11)} median ${median(xs).toFixed(2)} ms CPU per replay of ${name} (rounds: ${xs.map((x) => x.toFixed(1)).join(' ')})`);
}
const saved = median(perReplay.get('sdk default')!) - median(perReplay.get('worker')!);
console.log(`saved ${saved.toFixed(2)} ms per replay (${((100 * saved) / median(perReplay.get('sdk default')!)).toFixed(1)} %)`);

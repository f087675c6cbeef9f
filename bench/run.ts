/**
 * `npm run bench`: starts its own stack in a child process (own ports, fresh data folder), then measures the
 * checkout saga against three floors in the same run — `bare` (the cheapest Temporal implementation of the
 * saga: its steps as six local activities, in a process of its own), `direct` (the same steps without
 * Temporal) and `platform` (an empty workflow of the saga's shape) — sequentially (c1) and in closed loops
 * of 16 and 64 lanes, with the CPU every process spent per request (the simulators and the SMTP sink run as
 * processes of their own, reported apart). Then event delivery to the subscribers, the world
 * invariants (exit code 1 when one fails), and a JSON file in bench/results/. Knobs: BENCH_WARMUP (30),
 * BENCH_C1 (200), BENCH_SECONDS (15), BENCH_KEEP=1 (keep the data folder), DATABASE_URL (PostgreSQL),
 * BENCH_TEMPORAL (dev or server), BENCH_WORKERS (checkout workers; above 1, the others run as processes of
 * their own on a PostgreSQL database of the run's own unless DATABASE_URL is set), BENCH_TRACING=1 (tracing
 * on, exported to a sink in this process; off otherwise, whatever OTEL_EXPORTER_OTLP_* say).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { z } from 'zod';
import { FLOOR_SHAPE } from './floor-workflow.ts';
import { runClosedLoop, runSequential, summarize, type PhaseSamples } from './load.ts';
import {
  CLK_TCK,
  cpuDeltaMs,
  cpuSnapshot,
  peakRssKb,
  postgresPids,
  ROLES,
  stackCpuMs,
  threadDeltaMs,
  threadTicks,
  type MeasuredProcesses,
  type Role,
} from './proc-stats.ts';
import { bareStartedSchema, eventDeliveryResultSchema, invariantsResultSchema, shapesResultSchema, type EventDeliveryResult, type Ready } from './protocol.ts';
import { formatReport, PHASES, ratios, writeResults, type BenchResults, type PhaseResult, type ThreadUsage } from './report.ts';
import { startOtlpSink, type OtlpSink } from './otlp-sink.ts';
import { spawnStackChild } from './stack-control.ts';
import { dropTemporalDatabases, postgresTargetOf } from '../src/local-stack/temporal-cluster.ts';
import { ensureServerTools } from '../src/local-stack/tools.ts';
import { createSender, TARGETS, type Target } from './targets.ts';
import { gatewaySettings } from '../src/payments/gateways.ts';
import { hashApiKey } from '../src/config/auth.ts';
import { FLOOD_MERCHANT, measureFairness } from './fairness.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

function intKnob(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return value;
}

const knobs = {
  BENCH_WARMUP: intKnob('BENCH_WARMUP', 30),
  BENCH_C1: intKnob('BENCH_C1', 200),
  BENCH_SECONDS: intKnob('BENCH_SECONDS', 15),
  BENCH_KEEP: process.env.BENCH_KEEP === '1',
  /** `dev`: the CLI's dev server (as `npm start`); `server`: the production Temporal server on this machine's PostgreSQL. */
  BENCH_TEMPORAL: temporalKnob(),
  /** Checkout workers: the stack's own, and the rest as `--role worker` processes. */
  BENCH_WORKERS: Math.max(1, intKnob('BENCH_WORKERS', 1)),
  /** `1`: tracing on, exported over OTLP/HTTP to a sink in this process (`otlp-sink.ts`); otherwise off. */
  BENCH_TRACING: process.env.BENCH_TRACING === '1',
};

function temporalKnob(): 'dev' | 'server' {
  const value = process.env.BENCH_TEMPORAL ?? 'dev';
  if (value !== 'dev' && value !== 'server') throw new Error(`BENCH_TEMPORAL must be dev or server, not ${JSON.stringify(value)}`);
  return value;
}

/** Where the Temporal server of `BENCH_TEMPORAL=server` keeps its databases. */
const BENCH_POSTGRES = 'postgres://postgres@127.0.0.1:5432';

async function dropBenchDatabases(database: string): Promise<void> {
  await dropTemporalDatabases(ensureServerTools().temporalSqlTool, postgresTargetOf(`${BENCH_POSTGRES}/${database}`)).catch((error: Error) =>
    say(`could not drop ${database} and ${database}_visibility (${error.message}); drop them by hand`),
  );
}

async function onBenchPostgres(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${BENCH_POSTGRES}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const createBenchDatabase = (database: string) => onBenchPostgres(`CREATE DATABASE ${database}`);
const dropBenchDatabase = (database: string) =>
  onBenchPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((error: Error) => say(`could not drop ${database} (${error.message}); drop it by hand`));

/** Ports of our own, clear of `npm start` (3000, 7233, …) and of the tests. */
const STACK_ENV = {
  NODE_ENV: 'development',
  ENABLE_DEV_KEYS: 'true',
  LOG_LEVEL: 'warn',
  SIMULATOR_LATENCY_MS: '2',
  // The API's per-key limit (600/min by default) would answer 429 long before the lanes are saturated.
  RATE_LIMIT_PER_MINUTE: '100000000',
  // A second merchant, whose checkouts flood the queue in the fairness phase.
  MERCHANTS: `${FLOOD_MERCHANT.id}:${hashApiKey(FLOOD_MERCHANT.key)}`,
  API_PORT: '3300',
  TEMPORAL_PORT: '7433',
  TEMPORAL_UI_PORT: '8433',
  NATS_PORT: '4423',
  FRAUD_URL: 'http://127.0.0.1:4310',
  // Each gateway 300 above its local port, as every other port here.
  ...gatewaySettings(({ localPort }) => `http://127.0.0.1:${localPort + 300}`),
  SMS_PRIMARY_URL: 'http://127.0.0.1:4313',
  SMS_SECONDARY_URL: 'http://127.0.0.1:4314',
  PUSH_PRIMARY_URL: 'http://127.0.0.1:4315',
  PUSH_SECONDARY_URL: 'http://127.0.0.1:4316',
  SMTP_URL: 'smtp://127.0.0.1:2725',
  MAILBOX_PORT: '2780',
  WORKER_METRICS_PORT: '9664',
  CODEC_PORT: '8434',
  BENCH_FLOOR_PORT: '3301',
  BENCH_BARE_PORT: '3302',
};

const READY_TIMEOUT_MS = 300_000;
const EVENT_DELIVERY_WAIT_MS = 30_000;
/** After a phase, until the stack's CPU is back near idle (its async work, e.g. the subscribers, is done). */
const SETTLE_MAX_MS = 60_000;
const SETTLE_POLL_MS = 500;

const say = (message: string) => process.stderr.write(`bench: ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runId = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();

async function postJson<T>(url: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return schema.parse(JSON.parse(text));
}

function isLocalPostgres(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Polls the stack's CPU until it is back within `quietMsPerSec` for two readings in a row (or SETTLE_MAX_MS passed). */
async function settle(procs: MeasuredProcesses, quietMsPerSec: number): Promise<{ ms: number; settled: boolean }> {
  const t0 = Date.now();
  let quiet = 0;
  let last = cpuSnapshot(procs);
  while (quiet < 2 && Date.now() - t0 < SETTLE_MAX_MS) {
    await sleep(SETTLE_POLL_MS);
    const now = cpuSnapshot(procs);
    const rate = (stackCpuMs(cpuDeltaMs(last, now)) * 1000) / SETTLE_POLL_MS;
    quiet = rate <= quietMsPerSec ? quiet + 1 : 0;
    last = now;
  }
  return { ms: Date.now() - t0, settled: quiet >= 2 };
}

async function measureIdle(procs: MeasuredProcesses, ms: number): Promise<Record<Role, number>> {
  const before = cpuSnapshot(procs);
  await sleep(ms);
  const delta = cpuDeltaMs(before, cpuSnapshot(procs));
  return Object.fromEntries(ROLES.map((role) => [role, Math.round((delta[role] * 1000 * 10) / ms) / 10])) as Record<Role, number>;
}

function phaseResult(target: Target, phase: (typeof PHASES)[number], samples: PhaseSamples, cpuMs: Record<Role, number>, settle: { ms: number; settled: boolean }, postgres: boolean): PhaseResult {
  const per = (ms: number) => Math.round((ms / samples.requests) * 1000) / 1000;
  return {
    target,
    phase: phase.name,
    lanes: phase.lanes,
    requests: samples.requests,
    ok: samples.okIds.length,
    errors: samples.errors,
    elapsedMs: Math.round(samples.elapsedMs),
    throughputPerSec: Math.round((samples.okIds.length / (samples.elapsedMs / 1000)) * 10) / 10,
    latencyMs: summarize(samples.latenciesMs),
    cpuMs: Object.fromEntries(ROLES.map((r) => [r, Math.round(cpuMs[r])])) as Record<Role, number>,
    settleMs: settle.ms,
    settled: settle.settled,
    cpuMsPerRequest:
      samples.requests === 0
        ? null
        : {
            total: per(stackCpuMs(cpuMs)),
            stack: per(cpuMs.stack),
            bare: per(cpuMs.bare),
            temporal: per(cpuMs.temporal),
            nats: per(cpuMs.nats),
            postgres: postgres ? per(cpuMs.postgres) : null,
            simulators: per(cpuMs.simulators),
            smtpSink: per(cpuMs.smtpSink),
            loadgen: per(cpuMs.loadgen),
          },
  };
}

/** Waits (bounded) until every completed saga checkout has its email and analytics record, then measures. */
async function eventDelivery(floor: string, checkoutIds: string[]): Promise<EventDeliveryResult> {
  const until = Date.now() + EVENT_DELIVERY_WAIT_MS;
  for (;;) {
    const final = Date.now() > until;
    const result = await postJson(`${floor}/event-delivery`, { checkoutIds, final }, eventDeliveryResultSchema);
    if (result.email.missing + result.analytics.missing === 0 || final) return result;
    await sleep(1_000);
  }
}

/** How this run was started, e.g. `BENCH_SECONDS=5 npm run bench` (DATABASE_URL shown without its password). */
function commandLine(): string {
  const set = Object.keys(knobs)
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name]}`);
  if (process.env.DATABASE_URL) set.push(`DATABASE_URL=${process.env.DATABASE_URL.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}`);
  const command = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : ['node', ...process.execArgv, ...process.argv.slice(1).map((a) => (a.startsWith(REPO) ? path.relative(REPO, a) : a))].join(' ');
  return [...set, command].join(' ');
}

async function benchmark(ready: Ready, stackLog: BenchResults['stackLog'], databaseUrl: string | undefined): Promise<BenchResults> {
  const postgres = ready.database.kind === 'postgres' && isLocalPostgres(databaseUrl);
  const { pids } = ready;
  const procs: MeasuredProcesses = { stack: pids.stack, workers: pids.workers, bare: pids.bare, temporal: pids.temporal, nats: pids.nats, postgres, simulators: pids.simulators, smtpSink: pids.smtpSink, loadgen: process.pid };
  const runTag = `b${Date.now().toString(36)}`;
  const senders = Object.fromEntries(TARGETS.map((t) => [t, createSender(t, ready, runTag)])) as Record<Target, ReturnType<typeof createSender>>;
  const completed: Record<Target, string[]> = { saga: [], bare: [], direct: [], platform: [] };
  /** Saga checkouts completed in each measured phase: delivery one at a time differs from delivery under load. */
  const sagaByPhase = new Map<string, string[]>();

  for (const target of TARGETS) {
    say(`warm-up: ${knobs.BENCH_WARMUP} × ${target}`);
    const samples = await runSequential(knobs.BENCH_WARMUP, senders[target]);
    completed[target].push(...samples.okIds);
    const errors = samples.requests - samples.okIds.length;
    if (errors > 0) say(`warm-up ${target}: ${errors} error(s): ${JSON.stringify(samples.errors)}`);
  }
  await settle(procs, 100);
  const idle = await measureIdle(procs, 3_000);
  const idleStack = stackCpuMs(idle);
  // Quiet means: within 5 % of a core of the idle rate measured on this machine, in this run.
  const quietMsPerSec = idleStack + 50;
  say(`idle CPU ms/s: ${JSON.stringify(idle)}`);

  const phases: PhaseResult[] = [];
  const threadsC64: BenchResults['threadsC64'] = {};
  /** Whose threads are read at c64: the saga's processes, and the bare floor's to compare with. */
  const threadPidsOf: Partial<Record<Target, Record<string, number | null>>> = {
    saga: { stack: procs.stack, temporal: procs.temporal, ...Object.fromEntries(procs.workers.map((pid, i) => [`worker-${i + 2}`, pid])) },
    bare: { bare: procs.bare, temporal: procs.temporal },
  };
  // Phase by phase, each target in turn: the four are measured under the same conditions (table sizes,
  // Temporal history, warm caches) rather than one after the other.
  for (const phase of PHASES) {
    for (const target of TARGETS) {
      const threadPids = phase.name === 'c64' ? threadPidsOf[target] : undefined;
      const threadsBefore = threadPids ? Object.fromEntries(Object.entries(threadPids).map(([name, pid]) => [name, pid === null ? new Map() : threadTicks(pid)])) : null;
      const before = cpuSnapshot(procs);
      const samples = phase.lanes === 1 ? await runSequential(knobs.BENCH_C1, senders[target]) : await runClosedLoop(phase.lanes, knobs.BENCH_SECONDS * 1000, senders[target]);
      const settled = await settle(procs, quietMsPerSec);
      const after = cpuSnapshot(procs);
      if (threadPids && threadsBefore) {
        const top = (b: ReturnType<typeof threadTicks>, pid: number | null): ThreadUsage[] =>
          pid === null
            ? []
            : threadDeltaMs(b, threadTicks(pid))
                .slice(0, 8)
                .map((t) => ({ ...t, cpuMs: Math.round(t.cpuMs), msPerRequest: Math.round((t.cpuMs / Math.max(1, samples.requests)) * 1000) / 1000 }));
        threadsC64[target] = Object.fromEntries(Object.entries(threadPids).map(([name, pid]) => [name, top(threadsBefore[name]!, pid)]));
      }
      completed[target].push(...samples.okIds);
      if (target === 'saga') sagaByPhase.set(phase.name, samples.okIds);
      const result = phaseResult(target, phase, samples, cpuDeltaMs(before, after), settled, postgres);
      phases.push(result);
      say(`${target} ${phase.name}: ${result.ok} ok, ${result.requests - result.ok} errors, ${result.throughputPerSec}/s, p50 ${result.latencyMs?.p50 ?? '—'} ms, ${result.cpuMsPerRequest?.total ?? '—'} cpu ms/req (${settled.settled ? 'settled' : 'NOT settled'} in ${settled.ms} ms)`);
    }
  }

  say(`fairness: ${FLOOD_MERCHANT.id} floods at c64 for ${knobs.BENCH_SECONDS} s while the development merchant sends one checkout at a time`);
  const aloneC1 = phases.find((p) => p.target === 'saga' && p.phase === 'c1')?.latencyMs ?? null;
  const { result: fairness, okIds: fairnessIds } = await measureFairness(createSender('saga', ready, `${runTag}f`, FLOOD_MERCHANT.key), createSender('saga', ready, `${runTag}o`), knobs.BENCH_SECONDS * 1000, aloneC1);
  completed.saga.push(...fairnessIds);
  await settle(procs, quietMsPerSec);
  say(`fairness: the other merchant's p50 ${fairness.other.latencyMs?.p50 ?? '—'} ms, p99 ${fairness.other.latencyMs?.p99 ?? '—'} ms during the flood (${fairness.otherSlowdown.p50 ?? '—'}× / ${fairness.otherSlowdown.p99 ?? '—'}× its c1 alone)`);

  const [sagaId, platformId, bareId] = [completed.saga.at(-1), completed.platform.at(-1), completed.bare.at(-1) ?? null];
  const shapes = sagaId && platformId ? await postJson(`${ready.floor}/shapes`, { saga: sagaId, platform: platformId, bare: bareId }, shapesResultSchema) : null;

  say(`event delivery: waiting for the subscribers' records of ${completed.saga.length} saga checkouts`);
  const delivery: BenchResults['eventDelivery'] = [];
  for (const [phase, ids] of sagaByPhase) if (ids.length > 0) delivery.push({ phase, ...(await eventDelivery(ready.floor, ids)) });
  say('invariants: reading the ledgers, orders, stock, stream and subscriber records');
  const { started: bareStarted } = bareStartedSchema.parse(await (await fetch(`${ready.bare}/started`)).json());
  const { checks } = await postJson(`${ready.floor}/invariants`, { sagaCompleted: completed.saga, directCompleted: completed.direct, bareStarted }, invariantsResultSchema);

  const mb = (kb: number | null) => (kb === null ? null : Math.round(kb / 1024));
  const peakRssMb: BenchResults['peakRssMb'] = {
    stack: mb(peakRssKb(procs.stack)),
    ...Object.fromEntries(procs.workers.map((pid, i) => [`worker-${i + 2}`, mb(peakRssKb(pid))])),
    bare: mb(peakRssKb(procs.bare)),
    temporal: procs.temporal ? mb(peakRssKb(procs.temporal)) : null,
    nats: procs.nats ? mb(peakRssKb(procs.nats)) : null,
    simulators: mb(peakRssKb(procs.simulators)),
    smtpSink: mb(peakRssKb(procs.smtpSink)),
    loadgen: mb(peakRssKb(process.pid)),
  };
  if (postgres) peakRssMb.postgresLargest = mb(Math.max(0, ...postgresPids().map((pid) => peakRssKb(pid) ?? 0)));

  return {
    runId,
    command: { line: commandLine(), argv: process.argv, npmScript: process.env.npm_lifecycle_script ?? null },
    knobs: { ...knobs, DATABASE_URL: process.env.DATABASE_URL ? ready.database.description : 'unset (PGlite)' },
    stackEnv: STACK_ENV,
    git: { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain').length > 0 },
    node: process.version,
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    clkTck: CLK_TCK,
    database: ready.database,
    floorShape: FLOOR_SHAPE,
    shapes,
    idleCpuMsPerSec: idle,
    phases,
    ratios: ratios(phases),
    eventDelivery: delivery,
    fairness,
    threadsC64,
    peakRssMb,
    invariants: checks,
    stackLog,
  };
}

async function main(): Promise<number> {
  const dataDir = path.join(REPO, '.data', 'bench', runId);
  // A fresh database per run for the Temporal server, dropped afterwards: runs must not inherit each other's histories.
  const temporalDb = `dc_bench_temporal_${runId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ...STACK_ENV, DATA_DIR: dataDir, LOCAL_TEMPORAL_DATABASE_URL: `${BENCH_POSTGRES}/${temporalDb}` };
  // Our own Temporal dev server and nats-server, never ones the environment points at.
  delete env.TEMPORAL_ADDRESS;
  delete env.NATS_URL;
  // Tracing is on only when the run asks for it, and then to our own sink.
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const sink: OtlpSink | null = knobs.BENCH_TRACING ? await startOtlpSink() : null;
  if (sink) env.OTEL_EXPORTER_OTLP_ENDPOINT = sink.url;
  // Workers in processes of their own share the database: PGlite belongs to one process.
  const appDb = knobs.BENCH_WORKERS > 1 && !env.DATABASE_URL ? `dc_bench_app_${runId.toLowerCase().replace(/[^a-z0-9]/g, '')}` : null;
  if (appDb) {
    await createBenchDatabase(appDb);
    env.DATABASE_URL = `${BENCH_POSTGRES}/${appDb}`;
  }
  say(`starting the bench stack (data in ${path.relative(REPO, dataDir)}) …`);
  const child = spawnStackChild({ cwd: REPO, env });
  const cleanup = async () => {
    await child.stop();
    if (knobs.BENCH_TEMPORAL === 'server' && !knobs.BENCH_KEEP) await dropBenchDatabases(temporalDb);
    if (appDb && !knobs.BENCH_KEEP) await dropBenchDatabase(appDb);
    if (!knobs.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
    await sink?.close();
  };
  // Whatever happens, nothing we started outlives us.
  process.once('exit', () => child.killNow());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping the stack`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  let results: BenchResults;
  try {
    const ready = await child.ready(READY_TIMEOUT_MS);
    say(`stack ready: api ${ready.api}, floor ${ready.floor}, database ${ready.database.description}, pids ${JSON.stringify(ready.pids)}`);
    // A stack that dies mid-run would turn every closed-loop lane into a hot loop of refused connections.
    const died = child.exited.then((code) => Promise.reject(new Error(`the stack exited (code ${code}) during the run; its log:\n${child.log.tail.join('\n')}`)));
    died.catch(() => undefined); // after the run its exit is expected
    results = await Promise.race([benchmark(ready, child.log, env.DATABASE_URL), died]);
  } finally {
    say('stopping the stack');
    await cleanup();
  }
  // The stack's last spans leave when it shuts down, so the sink is read after that.
  results.tracing = sink?.received() ?? null;
  const file = writeResults(path.join(REPO, 'bench', 'results'), results);
  console.log(formatReport(results, path.relative(REPO, file)));
  return results.invariants.every((c) => c.pass) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exit(2);
  },
);

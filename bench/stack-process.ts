/**
 * The benchmark's stack process, started by bench/run.ts with its own ports and data folder: the real local
 * stack (startLocalStack), plus the benchmark SKU in the catalog, a second worker for the platform floor on
 * the stack worker's NativeConnection, and the floor server. Beside it, as processes of their own (so their
 * CPU and memory are not the service's): the simulators and the SMTP sink, started first, and the bare
 * platform floor, started last. Prints one `{"benchReady": …}` line on stdout when everything answers; stops
 * everything on SIGTERM/SIGINT, or when the parent goes away (stdin closes).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { dataConverterOf, payloadKeyringOf } from '../src/platform/codec/payload-keys.ts';
import { loadConfig } from '../src/config/index.ts';
import { products } from '../src/platform/db/schema/index.ts';
import { seedCatalog } from '../src/inventory/seed.ts';
import { assertPortFree, portOfUrl, waitForPort } from '../src/platform/ports.ts';
import { startLocalStack, type StackDescription } from '../src/local-stack/stack.ts';
import { createLogger } from '../src/platform/logger.ts';
import { Lifecycle } from '../src/roles/lifecycle.ts';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../src/platform/telemetry/temporal.ts';
import { WORKER_BUNDLER_OPTIONS } from '../src/roles/checkout-worker.ts';
import { startProcess, type ManagedProcess } from '../src/local-stack/child-process.ts';
import { startTracing } from '../src/platform/telemetry/tracing.ts';
import type { FloorActivities } from './floor-workflow.ts';
import { startFloorServer } from './floor-server.ts';
import { BENCH_PRODUCT, FLOOR_TASK_QUEUE, READY_KEY, type Ready } from './protocol.ts';

const FLOOR_PORT = Number(process.env.BENCH_FLOOR_PORT ?? 3301);
const BARE_PORT = Number(process.env.BENCH_BARE_PORT ?? 3302);
const HOST = '127.0.0.1';
const CLI = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PROCESS_READY_MS = 120_000;

/** When a process beside the stack is ready: it listens on every one of `ports`, or its log shows `logLine`. */
type Readiness = { ports: number[] } | { logLine: string };

/** A process of the benchmark beside the stack, running `script` with `args`, stopped with it. Its pid, once ready. */
async function startBeside(name: string, script: string, args: string[], readiness: Readiness, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Its output goes straight to a log file, as the local stack's own servers' does: the measured stack process pipes nothing.
  const child = startProcess(name, process.execPath, ['--import', 'tsx', script, ...args], path.join(config.dataDir, `${name}.log`), env);
  lifecycle.add(name, child.stop);
  try {
    if ('ports' in readiness) for (const port of readiness.ports) await waitForPort(HOST, port, PROCESS_READY_MS, child.alive);
    else await logShows(child, readiness.logLine);
  } catch (error) {
    throw new Error(`${name} did not start: ${(error as Error).message}\n${child.tail()}`);
  }
  return child.child.pid!;
}

async function logShows(child: ManagedProcess, line: string): Promise<void> {
  for (const deadline = Date.now() + PROCESS_READY_MS; !child.tail(50).includes(line); await new Promise((r) => setTimeout(r, 200))) {
    if (!child.alive()) throw new Error('it exited');
    if (Date.now() > deadline) throw new Error(`its log did not show "${line}" within ${PROCESS_READY_MS / 1000} s`);
  }
}

/**
 * `count` more checkout workers as processes of their own (`--role worker`), on the stack's Temporal, NATS
 * and database, each with its metrics port above the stack worker's; stopped with the stack. Their pids.
 */
async function startExtraWorkers(count: number, stack: StackDescription): Promise<number[]> {
  const pids: number[] = [];
  for (let i = 1; i <= count; i++) {
    // LOG_LEVEL info: the readiness line ("worker polling …") is logged at info.
    const env = { ...process.env, LOG_LEVEL: 'info', TEMPORAL_ADDRESS: stack.temporal, NATS_URL: stack.nats, WORKER_METRICS_PORT: String(config.temporal.workerMetricsPort + i) };
    pids.push(await startBeside(`worker-${i + 1}`, CLI, ['--role', 'worker'], { logLine: 'worker polling' }, env));
  }
  return pids;
}

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'bench-stack' });
const lifecycle = new Lifecycle(logger);
lifecycle.stopOnSignals();
// The parent holds our stdin open; if it dies without stopping us, its end closes, and we must not outlive it.
process.stdin.resume();
process.stdin.once('end', () => void lifecycle.stopAll().then(() => process.exit(0)));

try {
  // The stack checks its own ports before it starts anything; ours too, so a clash fails in a second.
  await assertPortFree(HOST, FLOOR_PORT, 'bench floor server', 'BENCH_FLOOR_PORT');
  await assertPortFree(HOST, BARE_PORT, 'bench bare floor', 'BENCH_BARE_PORT');
  mkdirSync(config.dataDir, { recursive: true });
  const { services, notifications } = config;
  const simulatorPorts = [services.fraudUrl, ...Object.values(services.gatewayUrls), ...Object.values(notifications.providers).flatMap((p) => [p.primary, p.secondary])].map(portOfUrl);
  const simulators = await startBeside('simulators', CLI, ['--role', 'simulators'], { ports: simulatorPorts });
  const smtpSink = await startBeside('smtp-sink', CLI, ['--role', 'smtp-sink'], { ports: [portOfUrl(config.email.smtpUrl), config.email.mailboxPort] });
  // As `npm start` does: on when OTEL_EXPORTER_OTLP_ENDPOINT is set (BENCH_TRACING=1), and stopped last.
  const tracing = startTracing(config.tracing, 'all');
  lifecycle.add('tracing', tracing.shutdown);
  const stack = await startLocalStack(config, logger, lifecycle, { temporal: process.env.BENCH_TEMPORAL === 'server' ? 'server' : 'dev', tracing, harness: 'elsewhere' });
  const { db } = stack.database;
  // Before any checkout: the API's catalog cache loads on the first checkout, so it will see this product.
  await seedCatalog(db, [BENCH_PRODUCT]);
  const [product] = await db.select({ stock: products.stock }).from(products).where(eq(products.sku, BENCH_PRODUCT.sku));
  if (!product) throw new Error(`${BENCH_PRODUCT.sku} was not seeded`);

  const activities: FloorActivities = { floorNoop: async () => undefined };
  const floorWorker = await Worker.create({
    connection: stack.worker.connection,
    namespace: config.temporal.namespace,
    taskQueue: FLOOR_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)),
    // Bundled as the checkout worker's (no stack frames in the sandbox: workflows/sandbox-stacks.ts), so the floor
    // charges what Temporal charges the saga's worker rather than the stack the SDK takes per promise by default.
    bundlerOptions: WORKER_BUNDLER_OPTIONS,
    activities,
    // The stack's client encrypts what it starts, so the floor pays the codec as the saga does, and its
    // workflows run through the saga's interceptor modules.
    dataConverter: dataConverterOf(config),
    interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
  });
  const floorDone = floorWorker.run();
  // Registered after the stack's own parts, so it stops first, while the shared connection is still open.
  lifecycle.add('floor worker', async () => {
    if (floorWorker.getState() === 'RUNNING') floorWorker.shutdown();
    await floorDone;
  });
  floorDone.catch((error: unknown) => logger.error({ err: error }, 'floor worker crashed; /platform requests will fail'));

  const floor = await startFloorServer({ config, db, nc: stack.nc, names: stack.names, client: stack.client, initialStock: product.stock, port: FLOOR_PORT });
  lifecycle.add('floor server', () => floor.close({ graceMs: 2_000 }));

  const workers = await startExtraWorkers(Number(process.env.BENCH_WORKERS ?? 1) - 1, stack.description);
  // The stack's Temporal, NATS and payload keys (its events' contacts are sealed for the stack's subscribers); a
  // data folder of its own (with PGlite, a database of its own).
  const keyring = payloadKeyringOf(config);
  const bareEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.description.temporal,
    NATS_URL: stack.description.nats,
    DATA_DIR: path.join(config.dataDir, 'bare-floor'),
    PAYLOAD_KEYS: [...keyring.keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(','),
    PAYLOAD_KEY_ID: keyring.activeKeyId,
  };
  const bare = await startBeside('bare-floor', fileURLToPath(new URL('./bare-floor-process.ts', import.meta.url)), [], { ports: [BARE_PORT] }, bareEnv);

  const ready: Ready = {
    api: stack.description.api,
    floor: floor.url,
    bare: `http://${HOST}:${BARE_PORT}`,
    pids: { ...stack.description.pids, workers, bare, simulators, smtpSink },
    database: { kind: config.database.url ? 'postgres' : 'pglite', description: stack.description.database },
    initialStock: product.stock,
  };
  process.stdout.write(`${JSON.stringify({ [READY_KEY]: ready })}\n`);
} catch (error) {
  console.error(`bench stack: ${(error as Error).stack ?? String(error)}`);
  await lifecycle.stopAll();
  process.exit(1);
}

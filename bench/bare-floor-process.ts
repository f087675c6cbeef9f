/**
 * The bare platform floor, as a process of its own so its CPU and memory are read apart from the service's:
 * a worker running bare-floor-workflow.ts (six local activities, SDK defaults, no codec, no interceptors) and
 * `POST /bare`, which prices the body as the API does, starts the workflow eagerly on that worker's
 * connection and answers its result; `GET /started` lists the checkouts it started. Started by the bench
 * stack process with the stack's Temporal address and NATS URL, and its own DATA_DIR: with PGlite the floor
 * has a database of its own (the embedded one belongs to one process); with DATABASE_URL it shares the
 * service's. Its product has stock of its own, so the saga's stock arithmetic stays apart.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Hono } from 'hono';
import { startApiServer } from '../api/server.ts';
import { loadConfig } from '../src/config/index.ts';
import { seedCatalog } from '../src/inventory/seed.ts';
import { createLogger } from '../src/platform/logger.ts';
import { Lifecycle } from '../src/roles/lifecycle.ts';
import { connectEventBus, openConfiguredDatabase } from '../src/roles/shared-deps.ts';
import type { BareFloorActivities, bareFloorWorkflow } from './bare-floor-workflow.ts';
import { BadRequest, createFloorInput } from './floor-input.ts';
import { createFloorSteps } from './floor-steps.ts';
import { BARE_PRODUCT, BARE_TASK_QUEUE, bareWorkflowId } from './protocol.ts';

const PORT = Number(process.env.BENCH_BARE_PORT ?? 3302);

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'bench-bare-floor' });
const lifecycle = new Lifecycle(logger);
lifecycle.stopOnSignals();

try {
  const database = await openConfiguredDatabase(config, { singleProcess: true, role: 'bare floor' });
  lifecycle.add('database', () => database.close());
  await seedCatalog(database.db, [BARE_PRODUCT]);
  const { nc, names } = await connectEventBus(config, 'bench-bare-floor');
  lifecycle.add('nats connection', () => nc.drain());

  const steps = createFloorSteps({ config, db: database.db, nc, names });
  const activities: BareFloorActivities = {
    ...steps,
    finish: async (input, facts) => {
      const view = await steps.finish(input, facts);
      return { id: view.id, status: view.status };
    },
  };
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: BARE_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./bare-floor-workflow.ts', import.meta.url)),
    activities,
  });
  const running = worker.run();
  lifecycle.add('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection.close();
  });
  running.catch((error: unknown) => logger.error({ err: error }, 'bare floor worker crashed; /bare requests will fail'));

  // On the worker's connection, so the server hands each new workflow's first task back with the start.
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const priced = createFloorInput(database.db, config);
  const started: string[] = [];
  const app = new Hono();
  app.post('/bare', async (c) => {
    const input = await priced(await c.req.json());
    started.push(input.checkoutId);
    const handle = await client.workflow.start<typeof bareFloorWorkflow>('bareFloorWorkflow', {
      taskQueue: BARE_TASK_QUEUE,
      workflowId: bareWorkflowId(input.checkoutId),
      args: [input],
      requestEagerStart: true,
    });
    return c.json(await handle.result());
  });
  app.get('/started', (c) => c.json({ started }));
  app.onError((error, c) => c.json({ error: error.message.slice(0, 300) }, error instanceof BadRequest ? 400 : 500));
  const server = await startApiServer({ app, host: '127.0.0.1', port: PORT, setting: 'BENCH_BARE_PORT' });
  lifecycle.add('server', () => server.close({ graceMs: 2_000 }));
} catch (error) {
  console.error(`bench bare floor: ${(error as Error).stack ?? String(error)}`);
  await lifecycle.stopAll();
  process.exit(1);
}

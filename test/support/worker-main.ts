/**
 * A checkout worker in a process of its own, for tests that kill one (SIGKILL) mid-task: the worker role of
 * `src/roles/worker-role.ts`, wired to a test file's database, stream and task queue, with the Temporal
 * runtime a worker process installs (warnings logged, metrics on WORKER_METRICS_PORT). Its settings arrive
 * as JSON in WORKER_PROCESS_SETTINGS (see worker-process.ts); it prints `worker ready` once it polls.
 */
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { installTemporalRuntime } from '../../src/platform/temporal/runtime.ts';
import { openDatabase } from '../../src/platform/db/client.ts';
import { startWorkerRole } from '../../src/roles/worker-role.ts';
import { connectNats } from '../../src/platform/nats/connection.ts';
import type { WorkerProcessSettings } from './worker-process.ts';

const settings = JSON.parse(process.env.WORKER_PROCESS_SETTINGS ?? '') as WorkerProcessSettings;
const config = loadConfig(settings.env);
installTemporalRuntime(createLogger({ level: 'warn', name: 'worker-process' }), { metricsBindAddress: `127.0.0.1:${config.temporal.workerMetricsPort}` });
const database = await openDatabase({ kind: 'postgres', url: settings.databaseUrl });
const nc = await connectNats(settings.natsUrl, `worker-process-${process.pid}`);
const worker = await startWorkerRole({ config, db: database.db, nc, names: settings.names, workflowBundle: { codePath: settings.workflowBundlePath }, shutdownGraceTime: '1s' });
console.log('worker ready');
const stop = () => void worker.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
await worker.done;

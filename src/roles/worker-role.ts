/** The worker role: gateway and fraud clients, activities over the database and NATS, and the worker. */
import type { NatsConnection } from 'nats';
import type { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities/index.ts';
import { createFraudClient } from '../fraud/client.ts';
import { createGatewayClients } from '../payments/gateway-client.ts';
import { dataConverterOf, payloadKeyringOf } from '../platform/codec/payload-keys.ts';
import type { Config } from '../config/index.ts';
import type { Database } from '../platform/db/client.ts';
import type { StreamNames } from '../platform/nats/provision.ts';
import { connectWorkerConnection } from '../platform/temporal/connection.ts';
import { createCheckoutWorker } from './checkout-worker.ts';
import type { Logger } from '../platform/logger.ts';
import type { Tracing } from '../platform/telemetry/tracing.ts';
import type { Lifecycle } from './lifecycle.ts';
import { installTemporalRuntime } from '../platform/temporal/runtime.ts';

export interface WorkerRoleDeps {
  config: Config;
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
  workflowBundle?: WorkerOptions['workflowBundle'];
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** The process's tracing; off by default. */
  tracing?: Tracing;
  /** Further workflow sinks (see CheckoutWorkerOptions). */
  sinks?: WorkerOptions['sinks'];
}

export interface RunningWorker {
  worker: Worker;
  /**
   * The worker's connection, closed when it stops. A client on it (same process) can start checkouts
   * eagerly on this worker.
   */
  connection: NativeConnection;
  /** Settles when the worker stops; rejects if it crashed. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker as a process runs it: the Temporal runtime installed (metrics on `metricsHost`), the worker
 * started and registered for shutdown, and the whole process stopped if the worker crashes.
 */
export async function runWorkerProcess(deps: WorkerRoleDeps, { logger, lifecycle, metricsHost }: { logger: Logger; lifecycle: Lifecycle; metricsHost: string }): Promise<RunningWorker> {
  installTemporalRuntime(logger, { metricsBindAddress: `${metricsHost}:${deps.config.temporal.workerMetricsPort}` });
  const worker = await startWorkerRole(deps);
  lifecycle.add('worker', worker.stop);
  worker.done.catch((error: unknown) => {
    logger.fatal({ err: error }, 'worker crashed; stopping');
    void lifecycle.stopAll().then(() => process.exit(1));
  });
  return worker;
}

export async function startWorkerRole(deps: WorkerRoleDeps): Promise<RunningWorker> {
  const { config } = deps;
  const timeoutMs = config.services.gatewayTimeoutMs;
  const activities = createActivities({
    db: deps.db,
    nc: deps.nc,
    names: deps.names,
    keyring: payloadKeyringOf(config),
    fraud: createFraudClient(config.services.fraudUrl, { timeoutMs: config.services.fraudTimeoutMs, fingerprintKey: config.services.fraudFingerprintKey }),
    gateways: createGatewayClients(config.services.gatewayUrls, { timeoutMs }),
  });
  const connection = await connectWorkerConnection(config.temporal);
  const worker = await createCheckoutWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    dataConverter: dataConverterOf(config),
    // The bundle built with the image (WORKFLOW_BUNDLE_PATH), else bundled from the source at start.
    workflowBundle: deps.workflowBundle ?? (config.temporal.workflowBundlePath ? { codePath: config.temporal.workflowBundlePath } : undefined),
    stackTraces: config.temporal.workflowStackTraces,
    version: config.temporal.workerVersion,
    workflowTaskSlots: config.temporal.workflowTaskSlots,
    shutdownGraceTime: deps.shutdownGraceTime,
    tracing: deps.tracing,
    sinks: deps.sinks,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    connection,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

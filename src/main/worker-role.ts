/** The worker role: gateway and fraud clients, activities over the database and NATS, and the worker. */
import type { NatsConnection } from 'nats';
import type { Worker, WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities/index.ts';
import { createFraudClient } from '../../activities/clients/fraud-client.ts';
import { createGatewayClient } from '../../activities/clients/gateway-client.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { StreamNames } from '../nats/provision.ts';
import { connectWorkerConnection } from '../temporal/connection.ts';
import { createCheckoutWorker } from '../temporal/worker.ts';

export interface WorkerRoleDeps {
  config: Config;
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
  workflowBundle?: WorkerOptions['workflowBundle'];
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

export interface RunningWorker {
  worker: Worker;
  /** Settles when the worker stops; rejects if it crashed. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorkerRole(deps: WorkerRoleDeps): Promise<RunningWorker> {
  const { config } = deps;
  const timeoutMs = config.services.gatewayTimeoutMs;
  const activities = createActivities({
    db: deps.db,
    nc: deps.nc,
    names: deps.names,
    fraud: createFraudClient(config.services.fraudUrl, { timeoutMs: config.services.fraudTimeoutMs }),
    gateways: {
      primary: createGatewayClient(config.services.primaryGatewayUrl, { timeoutMs }),
      secondary: createGatewayClient(config.services.secondaryGatewayUrl, { timeoutMs }),
    },
  });
  const connection = await connectWorkerConnection(config.temporal.address);
  const worker = await createCheckoutWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    workflowBundle: deps.workflowBundle,
    shutdownGraceTime: deps.shutdownGraceTime,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

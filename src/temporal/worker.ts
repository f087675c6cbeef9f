/** Builds the checkout worker: the workflow bundle plus the activities object, on one task queue. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { CheckoutActivities } from '../../activities/index.ts';

/** The module the worker bundles into Temporal's deterministic sandbox: the source, or its compiled copy in dist/. */
const sourcePath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
export const workflowsPath = existsSync(sourcePath) ? sourcePath : sourcePath.replace(/\.ts$/, '.js');

/** Bundles the workflows once (a few seconds), e.g. to share one bundle between many test workers. */
export async function bundleWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
}

export interface CheckoutWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CheckoutActivities;
  /** The encrypting converter the clients use too (`encryptingDataConverter`). */
  dataConverter: WorkerOptions['dataConverter'];
  /** A prebuilt bundle (`{ code }` or `{ codePath }`); bundled from source when absent. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** How long a shutting-down worker lets running activities finish before cancelling them. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

export async function createCheckoutWorker(options: CheckoutWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: options.dataConverter,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    shutdownGraceTime: options.shutdownGraceTime ?? '10s',
  });
}

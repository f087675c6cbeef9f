/** Builds the checkout worker: the workflow bundle plus the activities object, on one task queue. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { CheckoutActivities } from '../../activities/index.ts';
import { FAILURE_CONVERTER_PATH } from '../platform/codec/payload-keys.ts';
import { activityInterceptors, WORKFLOW_BUNDLER_OPTIONS, WORKFLOW_INTERCEPTOR_MODULES, workflowSpanSinks } from '../platform/telemetry/temporal.ts';
import { TRACING_OFF, type Tracing } from '../platform/telemetry/tracing.ts';

/** The module the worker bundles into Temporal's deterministic sandbox: the source, or its compiled copy in dist/. */
const sourcePath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
export const workflowsPath = existsSync(sourcePath) ? sourcePath : sourcePath.replace(/\.ts$/, '.js');

/**
 * Modules the sandbox runs once per V8 context, before the SDK freezes its globals (the source, or its compiled
 * copy in dist/): no stack frames in the sandbox, so the SDK stops taking a stack per workflow promise for the
 * Web UI's Stack Trace tab — see workflows/sandbox-stacks.ts for what that saves and what it takes away.
 */
const stacksSource = fileURLToPath(new URL('../../workflows/sandbox-stacks.ts', import.meta.url));
export const WORKFLOW_PRELOAD_MODULES = [existsSync(stacksSource) ? stacksSource : stacksSource.replace(/\.ts$/, '.js')];

/** How the worker bundles the workflows from source: the preloaded modules, and the interceptor modules parsed alike from source or dist/. */
export const WORKER_BUNDLER_OPTIONS = { ...WORKFLOW_BUNDLER_OPTIONS, preloadModules: WORKFLOW_PRELOAD_MODULES };

/**
 * Bundles the workflows once (a few seconds), e.g. to share one bundle between many test workers.
 * `extraInterceptorModules` are bundled after the service's own (a test's probe); `preloadModules` replaces
 * WORKFLOW_PRELOAD_MODULES only to measure what they change (bench/replay-cpu.ts).
 */
export async function bundleWorkflows({ extraInterceptorModules = [], preloadModules = WORKFLOW_PRELOAD_MODULES }: { extraInterceptorModules?: string[]; preloadModules?: string[] } = {}): Promise<{ code: string }> {
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...extraInterceptorModules],
    ...WORKER_BUNDLER_OPTIONS,
    preloadModules,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
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
  /** The process's tracing; off by default. */
  tracing?: Tracing;
  /**
   * Bundling from source: true keeps the SDK's stack per workflow promise (the Web UI's Stack Trace tab, frames
   * in workflow errors) by leaving out WORKFLOW_PRELOAD_MODULES. A prebuilt bundle decides for itself.
   */
  stackTraces?: boolean;
  /** Workflow tasks run at once (WORKER_WORKFLOW_TASK_SLOTS); the SDK's default when absent. */
  workflowTaskSlots?: number;
  /**
   * The worker deployment version this worker is (WORKER_BUILD_ID): each workflow is pinned to the version it
   * started on, so a new build never replays a checkout an older build began, and an old build never takes
   * a checkout the new one began. Null: unversioned.
   */
  version?: { deploymentName: string; buildId: string } | null;
  /** Sinks beside the span exporter's, for functions a bundle's extra interceptor modules call (a test's probe). */
  sinks?: WorkerOptions['sinks'];
}

export async function createCheckoutWorker(options: CheckoutWorkerOptions): Promise<Worker> {
  const tracing = options.tracing ?? TRACING_OFF;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: options.dataConverter,
    // A bundle carries its preloaded modules and workflow interceptors (bundleWorkflows); from source, they are bundled in here.
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath, bundlerOptions: options.stackTraces ? { ...WORKER_BUNDLER_OPTIONS, preloadModules: [] } : WORKER_BUNDLER_OPTIONS }),
    interceptors: { activity: activityInterceptors(tracing), ...(!options.workflowBundle && { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }) },
    sinks: { ...options.sinks, ...workflowSpanSinks(tracing) },
    shutdownGraceTime: options.shutdownGraceTime ?? '10s',
    ...(options.workflowTaskSlots && { maxConcurrentWorkflowTaskExecutions: options.workflowTaskSlots }),
    ...(options.version && { workerDeploymentOptions: { version: options.version, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' } }),
  });
}

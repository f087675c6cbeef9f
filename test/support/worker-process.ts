/**
 * Checkout workers as processes of their own, so a test can kill one with SIGKILL at a chosen moment: the
 * workflow task it was running never completes, and every local activity it ran is unknown to Temporal.
 */
import { freePort } from '../../src/platform/ports.ts';
import type { StreamNames } from '../../src/platform/nats/provision.ts';
import type { CheckoutStack } from './checkout-stack.ts';
import { spawnNode } from '../../harness/service-process.ts';
import { waitFor } from './wait-for.ts';

/** What worker-main.ts needs: the environment loadConfig reads, and the test file's shared parts. */
export interface WorkerProcessSettings {
  env: Record<string, string>;
  databaseUrl: string;
  natsUrl: string;
  names: StreamNames;
  workflowBundlePath: string;
}

export interface WorkerProcess {
  readonly pid: number;
  /** Its Prometheus endpoint (the Temporal runtime's metrics, and the activities' own). */
  readonly metricsUrl: string;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** SIGKILL: no shutdown, no task completed on the way out. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  output(): string;
}

/**
 * Starts a worker process on the stack's task queue and waits until it polls. `temporalAddress`: where it
 * reaches Temporal, e.g. through a TcpProxy that can hold its task completions.
 */
export async function startWorkerProcess(stack: CheckoutStack, { temporalAddress }: { temporalAddress?: string } = {}): Promise<WorkerProcess> {
  if (!stack.database.url) {
    throw new Error('a worker process needs a database it can share: set DATABASE_URL to a PostgreSQL server (npm test finds the local one)');
  }
  const metricsPort = await freePort();
  const settings: WorkerProcessSettings = {
    env: { ...stack.env, WORKER_METRICS_PORT: String(metricsPort), ...(temporalAddress && { TEMPORAL_ADDRESS: temporalAddress }) },
    databaseUrl: stack.database.url,
    natsUrl: stack.infra.natsUrl,
    names: stack.names,
    workflowBundlePath: stack.infra.workflowBundlePath,
  };
  const proc = spawnNode(['--import', 'tsx', 'test/support/worker-main.ts'], { WORKER_PROCESS_SETTINGS: JSON.stringify(settings) });
  const { child, exited } = proc;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const state = await waitFor(() => (exitCode !== undefined ? 'exited' : proc.output().includes('worker ready') ? 'ready' : undefined), {
    what: 'the worker process to poll',
    timeoutMs: 60_000,
    intervalMs: 20,
  });
  if (state === 'exited') throw new Error(`the worker process exited (${exitCode}) before it was ready:\n${proc.output()}`);
  return {
    pid: child.pid!,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    exited,
    output: proc.output,
    async kill() {
      if (proc.alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.alive()) child.kill('SIGTERM');
      await exited;
    },
  };
}

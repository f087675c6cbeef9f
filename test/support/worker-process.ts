/**
 * Checkout workers as processes of their own, so a test can kill one with SIGKILL at a chosen moment: the
 * workflow task it was running never completes, and every local activity it ran is unknown to Temporal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/dev/ports.ts';
import type { StreamNames } from '../../src/nats/provision.ts';
import type { CheckoutStack } from './checkout-stack.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

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
  /** Resolves with the exit code, or the signal that ended it. */
  readonly exited: Promise<number | string | null>;
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
  const env: NodeJS.ProcessEnv = { ...process.env, WORKER_PROCESS_SETTINGS: JSON.stringify(settings) };
  delete env.NODE_OPTIONS;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`the worker process exited (${code}) before it was ready:\n${output}`)));
  });
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid!,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    exited,
    output: () => output,
    async kill() {
      if (!ended()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!ended()) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `src/main.ts` as its own process, the way `npm start` does, on free ports and a private data dir. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/platform/ports.ts';
import type { StackDescription } from '../../src/local-stack/stack.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface StackProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the process's exit code. */
  exited: Promise<number | null>;
}

/** Environment for a private local stack: free ports, embedded PGlite, its own nats-server and SMTP sink. */
export async function privateStackEnv(dataDir: string): Promise<Record<string, string>> {
  const ports = await Promise.all(Array.from({ length: 15 }, () => freePort()));
  const [api, temporal, ui, nats, fraud, primary, secondary, smtp, mailbox, metrics, codec, smsPrimary, smsSecondary, pushPrimary, pushSecondary] = ports as number[];
  return {
    NODE_ENV: 'development',
    // As `npm start` sets it for the local stack.
    ENABLE_DEV_KEYS: 'true',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    API_PORT: String(api),
    TEMPORAL_PORT: String(temporal),
    TEMPORAL_UI_PORT: String(ui),
    NATS_PORT: String(nats),
    FRAUD_URL: `http://127.0.0.1:${fraud}`,
    PRIMARY_GATEWAY_URL: `http://127.0.0.1:${primary}`,
    SECONDARY_GATEWAY_URL: `http://127.0.0.1:${secondary}`,
    SMTP_URL: `smtp://127.0.0.1:${smtp}`,
    MAILBOX_PORT: String(mailbox),
    WORKER_METRICS_PORT: String(metrics),
    CODEC_PORT: String(codec),
    SMS_PRIMARY_URL: `http://127.0.0.1:${smsPrimary}`,
    SMS_SECONDARY_URL: `http://127.0.0.1:${smsSecondary}`,
    PUSH_PRIMARY_URL: `http://127.0.0.1:${pushPrimary}`,
    PUSH_SECONDARY_URL: `http://127.0.0.1:${pushSecondary}`,
    SIMULATOR_LATENCY_MS: '5',
  };
}

/** The parent's environment minus anything that would point the stack at shared services. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'NATS_URL', 'TEMPORAL_ADDRESS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_OPTIONS']) delete env[key];
  return env;
}

/** `compiled`: the production build (`npm run build`) with plain node, as the image runs it; else the source through tsx. */
export function spawnStack(env: Record<string, string>, args: string[] = [], { compiled = false } = {}): StackProcess {
  const entry = compiled ? ['dist/src/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  return spawnNode([...entry, ...args], env);
}

/** Node with `args` in the repository, on the parent's environment minus shared services plus `env`, its output kept. */
export function spawnNode(args: string[], env: Record<string, string>): StackProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits for the stack to write `.data/stack.json` (fresh from this run) and returns it. */
export async function waitForStack(stack: StackProcess, dataDir: string, timeoutMs = 120_000): Promise<StackDescription> {
  const file = `${dataDir}/stack.json`;
  rmSync(file, { force: true });
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void stack.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the stack exited with ${exitCode}:\n${stack.output()}`);
    if (existsSync(file) && stack.output().includes('durable-checkout is running')) return JSON.parse(readFileSync(file, 'utf8')) as StackDescription;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the stack did not come up within ${timeoutMs} ms:\n${stack.output()}`);
}

/** A private local stack in its own data dir, up and described; `stop()` ends it (SIGTERM) and removes the dir. */
export interface PrivateStack {
  proc: StackProcess;
  stack: StackDescription;
  dataDir: string;
  /** SIGTERM, if still running, and wait for the exit. */
  terminate(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateStack(overrides: Record<string, string> = {}, args: string[] = []): Promise<PrivateStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'durable-checkout-stack-'));
  const proc = spawnStack({ ...(await privateStackEnv(dataDir)), ...overrides }, args);
  const terminate = async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  };
  try {
    const stack = await waitForStack(proc, dataDir);
    return { proc, stack, dataDir, terminate, stop: async () => (await terminate(), rmSync(dataDir, { recursive: true, force: true })) };
  } catch (error) {
    await terminate();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

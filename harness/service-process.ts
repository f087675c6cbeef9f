/**
 * The launcher of the service's processes for tests and scripts: `src/main.ts` (a role, or the whole local
 * stack, the way `npm start` runs it) or another script of the repository, as a child process with its output
 * kept, stopped with SIGTERM and then SIGKILL. A private local stack runs on free ports in a data dir of its
 * own. (A process whose output goes to a log file — the local stack's servers, the benchmark's processes
 * beside its stack — is src/local-stack/child-process.ts's.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLowPort } from '../src/platform/ports.ts';
import type { StackDescription } from '../src/local-stack/stack.ts';
import { GATEWAYS, gatewaySettings } from '../src/payments/gateways.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface StackProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the process's exit code. */
  exited: Promise<number | null>;
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Output kept in memory per process: enough for every line a test or a failure message looks for. */
const OUTPUT_LIMIT = 4 * 1024 * 1024;

/**
 * Environment for a private local stack: free ports, embedded PGlite, its own nats-server and SMTP sink. The
 * ports are below the OS's ephemeral range, so no outgoing connection of another test can take one between
 * the choice and the stack's start; chosen one after another, so no two are the same.
 */
export async function privateStackEnv(dataDir: string): Promise<Record<string, string>> {
  const chosen = new Set<number>();
  const nextPort = async () => {
    let port = await freeLowPort();
    while (chosen.has(port)) port = await freeLowPort();
    chosen.add(port);
    return port;
  };
  const ports: number[] = [];
  for (let i = 0; i < 13 + GATEWAYS.length; i++) ports.push(await nextPort());
  const [api, temporal, ui, nats, fraud, smtp, mailbox, metrics, codec, smsPrimary, smsSecondary, pushPrimary, pushSecondary] = ports as number[];
  const gatewayPorts = ports.slice(13);
  return {
    NODE_ENV: 'development',
    // As `npm start` sets it for the local stack.
    ENABLE_DEV_KEYS: 'true',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    API_PORT: String(api),
    TEMPORAL_PORT: String(temporal),
    TEMPORAL_UI_PORT: String(ui),
    NATS_PORT: String(nats),
    FRAUD_URL: `http://127.0.0.1:${fraud}`,
    ...gatewaySettings((_, index) => `http://127.0.0.1:${gatewayPorts[index]}`),
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

/** Node with `args` in the repository, on the parent's environment minus shared services plus `env`, its output kept (the last 4 MiB). */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv): StackProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_LIMIT));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let ended = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => ((ended = true), resolve(code)));
    child.once('error', () => ((ended = true), resolve(null)));
  });
  return {
    child,
    output: () => output,
    exited,
    alive: () => !ended,
    async stop(graceMs = 8_000) {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
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
  // A stack stops in order (its servers after its roles); it is given as long as it needs.
  const terminate = () => proc.stop(120_000);
  try {
    const stack = await waitForStack(proc, dataDir);
    return { proc, stack, dataDir, terminate, stop: async () => (await terminate(), rmSync(dataDir, { recursive: true, force: true })) };
  } catch (error) {
    await terminate();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The parent's handle on the bench stack process: spawns `node --import tsx bench/stack-process.ts`, waits
 * for its ready line, keeps a tail of its log, and stops it — SIGTERM, then SIGKILL after a timeout — and
 * afterwards kills, by process id, any Temporal or NATS server of ours that outlived it, so a failed or
 * interrupted run leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { READY_KEY, readySchema, type Ready } from './protocol.ts';

export interface StackChild {
  /** Resolves with the ready line; rejects (after stopping the child) when it exits or takes too long. */
  ready(timeoutMs: number): Promise<Ready>;
  /** Lines the stack logged on stdout (its pino log at the configured level), with the last few. */
  log: { lines: number; tail: string[] };
  /** Resolves with the exit code when the child exits, expectedly or not. */
  exited: Promise<number | null>;
  /** Stops the child and whatever it started; safe to call more than once. */
  stop(): Promise<void>;
  /** Last resort from an `exit` handler: SIGKILL now, synchronously. */
  killNow(): void;
}

const LOG_TAIL = 20;
const STOP_TIMEOUT_MS = 45_000;

/** A process as it was seen: its id and start time (field 22 of stat), so a reused pid is never mistaken for it. */
interface Seen {
  pid: number;
  start: string;
}

const startTime = (pid: number): string | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
};

const stillRunning = ({ pid, start }: Seen) => startTime(pid) === start;

/** Signals a process that may have exited a moment ago. */
const signal = (pid: number, name: NodeJS.Signals) => {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
};

const commOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
};

/** All live descendants of a process (from /proc/<pid>/task/<tid>/children). */
function descendants(pid: number): Seen[] {
  const found: Seen[] = [];
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const tid of tids) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      const start = startTime(child);
      if (start !== null) found.push({ pid: child, start }, ...descendants(child));
    }
  }
  return found;
}

const waitFor = async (condition: () => boolean, timeoutMs: number) => {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return condition();
};

export function spawnStackChild(options: { cwd: string; env: NodeJS.ProcessEnv }): StackChild {
  // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop the stack in order.
  // BENCH_STACK_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: flags for the stack's Node process, to
  // profile it under the benchmark's load (Node refuses some of them in NODE_OPTIONS).
  const nodeArgs = (options.env.BENCH_STACK_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/stack-process.ts'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
  const pid = child.pid!;
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => ((exited = true), resolve(code))));
  // Processes the stack started (Temporal, NATS), refreshed while it runs, so they can be killed if it dies first.
  let known: Seen[] = [];
  const remember = () => {
    const fresh = descendants(pid).filter((d) => !known.some((k) => k.pid === d.pid && k.start === d.start));
    known = [...known.filter(stillRunning), ...fresh];
  };
  const refresh = setInterval(() => {
    if (!exited) remember();
  }, 1_000);
  refresh.unref();

  const log = { lines: 0, tail: [] as string[] };
  let onReady: (ready: Ready) => void = () => undefined;
  const readyLine = new Promise<Ready>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith(`{"${READY_KEY}":`)) {
      const parsed = readySchema.safeParse((JSON.parse(line) as Record<string, unknown>)[READY_KEY]);
      if (parsed.success) return onReady(parsed.data);
    }
    log.lines += 1;
    log.tail = [...log.tail.slice(-(LOG_TAIL - 1)), line];
  });

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      remember();
      if (!exited) {
        child.kill('SIGTERM');
        if (!(await waitFor(() => exited, STOP_TIMEOUT_MS))) {
          console.error(`bench: the stack did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
          child.kill('SIGKILL');
          await exit;
        }
      }
      clearInterval(refresh);
      // Helpers such as tsx's esbuild service exit by themselves once their parent is gone; give them a moment.
      await waitFor(() => !known.some(stillRunning), 3_000);
      const leftovers = known.filter(stillRunning);
      if (leftovers.length > 0) {
        console.error(`bench: killing processes the stack left behind: ${leftovers.map((l) => `${l.pid} (${commOf(l.pid)})`).join(', ')}`);
        for (const l of leftovers) signal(l.pid, 'SIGTERM');
        if (!(await waitFor(() => !leftovers.some(stillRunning), 8_000))) for (const l of leftovers.filter(stillRunning)) signal(l.pid, 'SIGKILL');
      }
    })());

  const killNow = () => {
    const doomed = [...known, ...descendants(pid)].filter(stillRunning).map((s) => s.pid);
    if (!exited) doomed.unshift(pid);
    for (const p of doomed) signal(p, 'SIGKILL');
  };

  const ready = async (timeoutMs: number) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the stack was not ready within ${timeoutMs / 1000} s`)), timeoutMs)));
    const died = exit.then((code) => Promise.reject(new Error(`the stack exited (code ${code}) before it was ready; its log:\n${log.tail.join('\n')}`)));
    try {
      return await Promise.race([readyLine, died, timeout]);
    } catch (error) {
      await stop();
      throw error;
    } finally {
      clearTimeout(timer);
      died.catch(() => undefined); // it rejects whenever the child exits, which is expected after a ready line
    }
  };
  return { ready, exited: exit, log, stop, killNow };
}

/**
 * Readings from /proc (Linux only): CPU time of a process and of each of its threads (utime + stime, fields
 * 14 and 15 of `stat`, in clock ticks), the `postgres` processes on this machine, and peak resident memory
 * (VmHWM). Snapshots are taken before and after a phase; the difference is what the phase cost.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of the tick counts in /proc (`getconf CLK_TCK`, nearly always 100). */
export const CLK_TCK = (() => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

export const ticksToMs = (ticks: number) => (ticks * 1000) / CLK_TCK;

const readText = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** utime + stime of a `stat` line; the fields are counted after the `)` that ends comm, which may hold spaces. */
function statTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so fields 14 and 15 are at 11 and 12.
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU ticks a process has used so far, or null when it is gone. */
export function processTicks(pid: number): number | null {
  const stat = readText(`/proc/${pid}/stat`);
  return stat === null ? null : statTicks(stat);
}

/** CPU ticks of every live thread of a process, by thread id, with the thread's name (`comm`). */
export function threadTicks(pid: number): Map<number, { name: string; ticks: number }> {
  const threads = new Map<number, { name: string; ticks: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    const stat = readText(`/proc/${pid}/task/${tid}/stat`);
    const name = readText(`/proc/${pid}/task/${tid}/comm`);
    if (stat === null || name === null) continue;
    // Node names its worker threads like its main thread; the main one (tid = pid) is the event loop, so tell it apart.
    threads.set(Number(tid), { name: Number(tid) === pid ? `${name.trim()} (main)` : name.trim(), ticks: statTicks(stat) });
  }
  return threads;
}

/** Every process whose comm is `postgres`: the server and its backends, for a PostgreSQL on this machine. */
export function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => readText(`/proc/${pid}/comm`)?.trim() === 'postgres')
    .map(Number);
}

/** Peak resident set size in kB (VmHWM), or null when the process is gone. */
export function peakRssKb(pid: number): number | null {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readText(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) : null;
}

/** The processes whose CPU the benchmark measures, by role. `postgres` is summed over its processes. */
export interface MeasuredProcesses {
  stack: number;
  /** Worker processes beside the stack (BENCH_WORKERS), counted with the stack. */
  workers: number[];
  temporal: number | null;
  nats: number | null;
  /** True when the database is a PostgreSQL server on this machine (PGlite runs inside the stack process). */
  postgres: boolean;
  /** The benchmark parent: the load generator, reported apart from the stack. */
  loadgen: number;
}

export const ROLES = ['stack', 'temporal', 'nats', 'postgres', 'loadgen'] as const;
export type Role = (typeof ROLES)[number];
/** The roles that make up the system under test. */
export const STACK_ROLES = ['stack', 'temporal', 'nats', 'postgres'] as const satisfies readonly Role[];

/** Ticks per process id, per role, at one moment. */
export type CpuSnapshot = Record<Role, Map<number, number>>;

export function cpuSnapshot(procs: MeasuredProcesses): CpuSnapshot {
  const one = (pid: number | null) => {
    const ticks = pid === null ? null : processTicks(pid);
    return new Map(pid !== null && ticks !== null ? [[pid, ticks]] : []);
  };
  const postgres = new Map<number, number>();
  if (procs.postgres) {
    for (const pid of postgresPids()) {
      const ticks = processTicks(pid);
      if (ticks !== null) postgres.set(pid, ticks);
    }
  }
  const stack = one(procs.stack);
  for (const pid of procs.workers) {
    const ticks = processTicks(pid);
    if (ticks !== null) stack.set(pid, ticks);
  }
  return { stack, temporal: one(procs.temporal), nats: one(procs.nats), postgres, loadgen: one(procs.loadgen) };
}

/**
 * CPU ms per role between two snapshots. A process that started in between counts from zero; one that exited
 * in between is lost (a short-lived postgres backend, say), so the figures are a lower bound.
 */
export function cpuDeltaMs(before: CpuSnapshot, after: CpuSnapshot): Record<Role, number> {
  const delta = (role: Role) => {
    let ticks = 0;
    for (const [pid, now] of after[role]) ticks += now - (before[role].get(pid) ?? 0);
    return ticksToMs(ticks);
  };
  return { stack: delta('stack'), temporal: delta('temporal'), nats: delta('nats'), postgres: delta('postgres'), loadgen: delta('loadgen') };
}

export const stackCpuMs = (delta: Record<Role, number>) => STACK_ROLES.reduce((sum, role) => sum + delta[role], 0);

/** CPU ms per thread name between two readings of one process's threads, most expensive first. */
export function threadDeltaMs(before: ReturnType<typeof threadTicks>, after: ReturnType<typeof threadTicks>): { name: string; threads: number; cpuMs: number }[] {
  const byName = new Map<string, { threads: number; ticks: number }>();
  for (const [tid, { name, ticks }] of after) {
    const entry = byName.get(name) ?? { threads: 0, ticks: 0 };
    entry.threads += 1;
    entry.ticks += ticks - (before.get(tid)?.ticks ?? 0);
    byName.set(name, entry);
  }
  return [...byName]
    .map(([name, { threads, ticks }]) => ({ name, threads, cpuMs: ticksToMs(ticks) }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
}

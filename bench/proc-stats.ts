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
  /** The bare platform floor's process. */
  bare: number;
  temporal: number | null;
  nats: number | null;
  /** True when the database is a PostgreSQL server on this machine (PGlite runs inside the stack process). */
  postgres: boolean;
  /** The stand-ins the service talks to: reported apart from the system's total, as the load generator is. */
  simulators: number;
  smtpSink: number;
  /** The benchmark parent: the load generator, reported apart from the stack. */
  loadgen: number;
}

export const ROLES = ['stack', 'bare', 'temporal', 'nats', 'postgres', 'simulators', 'smtpSink', 'loadgen'] as const;
export type Role = (typeof ROLES)[number];
/** The roles that make up the system under test (whichever target is measured, all of them count). */
export const STACK_ROLES = ['stack', 'bare', 'temporal', 'nats', 'postgres'] as const satisfies readonly Role[];

/** Ticks per process id, per role, at one moment. */
export type CpuSnapshot = Record<Role, Map<number, number>>;

/** The pids of each role but postgres (found by name). */
function pidsOf(procs: MeasuredProcesses): Record<Exclude<Role, 'postgres'>, (number | null)[]> {
  return {
    stack: [procs.stack, ...procs.workers],
    bare: [procs.bare],
    temporal: [procs.temporal],
    nats: [procs.nats],
    simulators: [procs.simulators],
    smtpSink: [procs.smtpSink],
    loadgen: [procs.loadgen],
  };
}

export function cpuSnapshot(procs: MeasuredProcesses): CpuSnapshot {
  const ticksOf = (pids: (number | null)[]) => {
    const ticks = new Map<number, number>();
    for (const pid of pids) {
      const now = pid === null ? null : processTicks(pid);
      if (pid !== null && now !== null) ticks.set(pid, now);
    }
    return ticks;
  };
  const byRole = Object.fromEntries(Object.entries(pidsOf(procs)).map(([role, pids]) => [role, ticksOf(pids)])) as Omit<CpuSnapshot, 'postgres'>;
  return { ...byRole, postgres: ticksOf(procs.postgres ? postgresPids() : []) };
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
  return Object.fromEntries(ROLES.map((role) => [role, delta(role)])) as Record<Role, number>;
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

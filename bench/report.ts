/**
 * The benchmark's output: the result shapes, the ratios of each target to the two floors measured in the
 * same run (saga/direct, saga/platform, platform/direct), the printed text report, and the JSON file in
 * bench/results/. Figures are reported, never asserted.
 */
import type { FairnessResult } from './fairness.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ratioOf, type LatencySummary } from './load.ts';
import type { Role } from './proc-stats.ts';
import type { EventDeliveryResult, InvariantCheck, Shapes } from './protocol.ts';
import type { Target } from './targets.ts';

export const PHASES = [
  { name: 'c1', lanes: 1 },
  { name: 'c16', lanes: 16 },
  { name: 'c64', lanes: 64 },
] as const;
export type Phase = (typeof PHASES)[number]['name'];

/**
 * CPU ms per answered request: the system's processes (total and split: the service's stack process, the
 * bare floor's process, Temporal, NATS, PostgreSQL) and, apart, the simulators, the SMTP sink and the load
 * generator.
 */
export interface CpuPerRequest {
  total: number;
  stack: number;
  bare: number;
  temporal: number;
  nats: number;
  /** Null with PGlite, whose work is inside the stack (and bare floor) process. */
  postgres: number | null;
  simulators: number;
  smtpSink: number;
  loadgen: number;
}

export interface PhaseResult {
  target: Target;
  phase: Phase;
  lanes: number;
  requests: number;
  ok: number;
  errors: Record<string, number>;
  elapsedMs: number;
  /** Successful requests per second of elapsed time. */
  throughputPerSec: number;
  latencyMs: LatencySummary | null;
  /** CPU ms of each role over the phase and its settling time (async work the phase caused, e.g. subscribers). */
  cpuMs: Record<Role, number>;
  settleMs: number;
  /** False when the stack was still busy after SETTLE_MAX_MS: the next phase's CPU then includes some of this one's. */
  settled: boolean;
  cpuMsPerRequest: CpuPerRequest | null;
}

export interface ThreadUsage {
  name: string;
  threads: number;
  cpuMs: number;
  msPerRequest: number;
}

export interface BenchResults {
  runId: string;
  command: { line: string; argv: string[]; npmScript: string | null };
  knobs: Record<string, string | number | boolean>;
  stackEnv: Record<string, string>;
  git: { commit: string; dirty: boolean };
  node: string;
  nproc: number;
  clkTck: number;
  database: { kind: 'pglite' | 'postgres'; description: string };
  floorShape: readonly string[];
  /** One saga's and one platform-floor workflow's history, counted; null when either had no completed request. */
  shapes: Shapes | null;
  idleCpuMsPerSec: Record<Role, number>;
  phases: PhaseResult[];
  ratios: RatioRow[];
  /** Per measured phase: the saga checkouts completed in it, from their outcome to each subscriber's record. */
  eventDelivery: (EventDeliveryResult & { phase: string })[];
  /** Another merchant's checkouts while one floods the queue (fairness.ts); absent in runs before it. */
  fairness?: FairnessResult;
  /**
   * CPU by thread at c64, for the saga (by process: `stack`, `temporal`, and `worker-<n>` for each worker
   * beside the stack) and for the bare floor (`bare`, `temporal`).
   */
  threadsC64: Partial<Record<Target, Record<string, ThreadUsage[]>>>;
  peakRssMb: Record<string, number | null>;
  invariants: InvariantCheck[];
  stackLog: { lines: number; tail: string[] };
  /** BENCH_TRACING=1: what the stack exported to the bench's OTLP sink; null: tracing was off. */
  tracing?: { exports: number; spans: number; rejected: number } | null;
}

/** The saga against the bare platform floor first: the targets are ratios to it. */
const PAIRS = [
  ['saga', 'bare'],
  ['platform', 'bare'],
  ['saga', 'platform'],
  ['saga', 'direct'],
  ['bare', 'direct'],
] as const satisfies readonly (readonly [Target, Target])[];

/** `cpuNode`: the Node processes of the system (the service's and the bare floor's), whichever target ran. */
const FIGURES = ['p50', 'p90', 'p99', 'throughput', 'cpuTotal', 'cpuNode', 'cpuTemporal', 'cpuNats', 'cpuPostgres'] as const;
type Figure = (typeof FIGURES)[number];

export interface RatioRow {
  phase: Phase;
  ratio: `${Target}/${Target}`;
  /** Each figure of the first target divided by the second's; null when either is missing or zero. */
  values: Record<Figure, number | null>;
}

function figure(row: PhaseResult, name: Figure): number | null {
  const cpu = row.cpuMsPerRequest;
  switch (name) {
    case 'p50':
    case 'p90':
    case 'p99':
      return row.latencyMs?.[name] ?? null;
    case 'throughput':
      return row.throughputPerSec;
    case 'cpuTotal':
      return cpu?.total ?? null;
    case 'cpuNode':
      return cpu ? cpu.stack + cpu.bare : null;
    case 'cpuTemporal':
      return cpu?.temporal ?? null;
    case 'cpuNats':
      return cpu?.nats ?? null;
    case 'cpuPostgres':
      return cpu?.postgres ?? null;
  }
}

export function ratios(phases: readonly PhaseResult[]): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const { name: phase } of PHASES) {
    for (const [a, b] of PAIRS) {
      const top = phases.find((p) => p.target === a && p.phase === phase);
      const bottom = phases.find((p) => p.target === b && p.phase === phase);
      if (!top || !bottom) continue;
      const values = Object.fromEntries(
        FIGURES.map((f) => {
          return [f, ratioOf(figure(top, f), figure(bottom, f))];
        }),
      ) as Record<Figure, number | null>;
      rows.push({ phase, ratio: `${a}/${b}`, values });
    }
  }
  return rows;
}

/** One target of the performance issue: a ratio of the saga to the bare platform floor, and its bound. */
export interface TargetCheck {
  name: string;
  rule: string;
  value: number | null;
  met: boolean;
}

/** The saga's targets against the bare platform floor of the same run. Reported, never asserted. */
export function targetChecks(results: Pick<BenchResults, 'ratios' | 'peakRssMb'>): TargetCheck[] {
  const ratio = (phase: Phase, figure: Figure) => results.ratios.find((r) => r.phase === phase && r.ratio === 'saga/bare')?.values[figure] ?? null;
  const { stack, bare } = results.peakRssMb;
  const rss = ratioOf(stack, bare);
  const at = (name: string, value: number | null, bound: number, atMost: boolean): TargetCheck => ({
    name,
    rule: `${atMost ? '≤' : '≥'} ${bound}×`,
    value,
    met: value !== null && (atMost ? value <= bound : value >= bound),
  });
  return [
    at('CPU per checkout at c64, all processes', ratio('c64', 'cpuTotal'), 1.3, true),
    at('c1 p50', ratio('c1', 'p50'), 1.3, true),
    at('c1 p99', ratio('c1', 'p99'), 1.5, true),
    at('c64 throughput', ratio('c64', 'throughput'), 0.8, false),
    at('peak RSS, stack process / bare floor process', rss, 1.3, true),
  ];
}

/** Text columns: the first `left` columns left-aligned, the rest (numbers) right-aligned. */
function table(headers: string[], rows: string[][], left = 2): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const num = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));
const times = (n: number | null) => (n === null ? '—' : `${n.toFixed(2)}×`);

export function formatReport(results: BenchResults, resultsFile: string): string {
  const out: string[] = [];
  out.push(
    '',
    `checkout benchmark ${results.runId} — commit ${results.git.commit}${results.git.dirty ? ' (uncommitted changes)' : ''}, node ${results.node}, ${results.nproc} cores, database ${results.database.kind}`,
    `knobs: ${Object.entries(results.knobs).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    '',
  );

  const pg = results.database.kind === 'postgres';
  out.push(
    table(
      ['target', 'phase', 'ok', 'err', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'req/s', 'cpu ms/req', 'stack', 'bare', 'temporal', 'nats', pg ? 'postgres' : 'pg', 'sims', 'smtp', 'loadgen'],
      results.phases.map((p) => {
        const cpu = p.cpuMsPerRequest;
        return [
          p.target,
          p.phase,
          String(p.ok),
          String(p.requests - p.ok),
          num(p.latencyMs?.p50),
          num(p.latencyMs?.p90),
          num(p.latencyMs?.p99),
          num(p.latencyMs?.max),
          num(p.throughputPerSec),
          num(cpu?.total, 2),
          num(cpu?.stack, 2),
          num(cpu?.bare, 2),
          num(cpu?.temporal, 2),
          num(cpu?.nats, 2),
          cpu?.postgres === null ? 'in node' : num(cpu?.postgres, 2),
          num(cpu?.simulators, 2),
          num(cpu?.smtpSink, 2),
          num(cpu?.loadgen, 2),
        ];
      }),
    ),
    '',
    'cpu ms/req = CPU of the stack process (the service: API, worker, subscribers; and the direct and shape floors) + the bare floor process + temporal + nats' +
      (pg ? ' + postgres' : ' (PGlite runs inside the Node processes)') +
      ' over the phase and its settling, per answered request; the simulators, the SMTP sink and loadgen (this process) are not in the total.',
    '',
    'ratios (same run)',
    table(
      ['phase', 'ratio', 'p50', 'p90', 'p99', 'req/s', 'cpu/req', 'node', 'temporal', 'nats', ...(pg ? ['postgres'] : [])],
      results.ratios.map((r) => [
        r.phase,
        r.ratio,
        times(r.values.p50),
        times(r.values.p90),
        times(r.values.p99),
        times(r.values.throughput),
        times(r.values.cpuTotal),
        times(r.values.cpuNode),
        times(r.values.cpuTemporal),
        times(r.values.cpuNats),
        ...(pg ? [times(r.values.cpuPostgres)] : []),
      ]),
    ),
    'node = the Node processes (stack + bare floor), whichever target ran',
    '',
    'targets (saga / bare platform floor)',
    ...targetChecks(results).map((t) => `  ${t.met ? 'met    ' : 'NOT met'}  ${t.name}: ${t.value === null ? '—' : `${t.value.toFixed(2)}×`} (${t.rule})`),
    '',
    `idle CPU before the phases, ms/s: ${Object.entries(results.idleCpuMsPerSec).map(([role, ms]) => `${role} ${num(ms)}`).join(', ')}`,
  );

  const shapes = results.shapes;
  if (shapes) {
    const describe = (s: Shapes['saga']) =>
      `${s.workflowTasks} workflow tasks, ${s.localActivities} local + ${s.activities} regular activities, ${s.upserts} upserts${s.patches > 0 ? `, ${s.patches} patch marker(s)` : ''}, ${s.historyEvents} history events`;
    const same = (['workflowTasks', 'localActivities', 'activities', 'upserts'] as const).every((k) => shapes.saga[k] === shapes.platform[k]);
    out.push('', `workflow shapes: saga ${describe(shapes.saga)}; platform floor ${describe(shapes.platform)}${shapes.bare ? `; bare floor ${describe(shapes.bare)}` : ''}`);
    if (!same) out.push('  WARNING: the platform floor no longer has the shape of the saga; adjust FLOOR_SHAPE in bench/floor-workflow.ts');
  }

  if (results.eventDelivery.length > 0) {
    const line = (phase: string, name: string, s: EventDeliveryResult['email']) =>
      `  ${phase.padEnd(4)} ${name.padEnd(9)} p50 ${num(s.latencyMs?.p50)} ms  p99 ${num(s.latencyMs?.p99)} ms  max ${num(s.latencyMs?.max)} ms  (${s.delivered} delivered, ${s.missing} missing${s.missing > 0 ? `, e.g. ${s.missingExamples.join(', ')}` : ''})`;
    out.push('', "event delivery of the completed saga checkouts, by phase (event stored on the stream → subscriber's record; from occurredAt in brackets)");
    const fromOccurred = (s: EventDeliveryResult['fromOccurredAt']['email']) => `  [occurredAt: p50 ${num(s?.p50)} ms, p99 ${num(s?.p99)} ms]`;
    for (const ed of results.eventDelivery) {
      out.push(line(ed.phase, 'email', ed.email) + fromOccurred(ed.fromOccurredAt.email), line(ed.phase, 'analytics', ed.analytics) + fromOccurred(ed.fromOccurredAt.analytics));
    }
  }

  const fair = results.fairness;
  if (fair) {
    const lat = (l: LatencySummary | null) => `p50 ${num(l?.p50)} ms, p99 ${num(l?.p99)} ms`;
    out.push(
      '',
      `fairness: another merchant's checkouts, one at a time, while one merchant floods at c${fair.lanes}`,
      `  other merchant  ${lat(fair.other.latencyMs)} (${fair.other.ok} ok, ${fair.other.errors} errors): ${times(fair.otherSlowdown.p50)} / ${times(fair.otherSlowdown.p99)} its saga c1 p50 / p99 alone`,
      `  flooding one    ${lat(fair.flood.latencyMs)}, ${num(fair.flood.throughputPerSec)}/s (${fair.flood.ok} ok, ${fair.flood.errors} errors)`,
    );
  }

  for (const [target, threads] of Object.entries(results.threadsC64)) {
    out.push('', `CPU by thread name, ${target} c64 (top 8)`);
    for (const [proc, list] of Object.entries(threads)) {
      out.push(`  ${proc}: ${list.length === 0 ? '—' : list.map((t) => `${t.name}×${t.threads} ${num(t.cpuMs, 0)} ms (${num(t.msPerRequest, 2)}/req)`).join(', ')}`);
    }
  }

  if (results.tracing) {
    const t = results.tracing;
    out.push('', `tracing on: ${t.spans} spans in ${t.exports} OTLP exports to the bench's sink${t.rejected > 0 ? `, ${t.rejected} export(s) refused as not OTLP/JSON` : ''}`);
  }

  out.push(
    '',
    `peak RSS (VmHWM), MB: ${Object.entries(results.peakRssMb).map(([k, v]) => `${k} ${num(v, 0)}`).join(', ')}`,
    '  (stack holds the service and the direct and shape floors; bare the bare floor alone; temporal and nats serve all targets)',
  );

  const unsettled = results.phases.filter((p) => !p.settled).map((p) => `${p.target} ${p.phase}`);
  if (unsettled.length > 0) out.push('', `NOTE: the stack was still busy ${unsettled.length === 1 ? 'after' : 'after each of'} ${unsettled.join(', ')} when the next phase began; their CPU figures are low and the next ones high`);

  const errors = results.phases.flatMap((p) => Object.entries(p.errors).map(([reason, count]) => `  ${p.target} ${p.phase}: ${count} × ${reason}`));
  if (errors.length > 0) out.push('', 'errors (requests without a 200 and a completed status)', ...errors);

  out.push('', 'invariants', ...results.invariants.map((c) => `  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name} — ${c.detail}`));
  if (results.stackLog.lines > 0) out.push('', `the stack logged ${results.stackLog.lines} line(s) at ${results.stackEnv.LOG_LEVEL} or above; the last are in the results file`);
  out.push('', `results: ${resultsFile}`, '');
  return out.join('\n');
}

export function writeResults(dir: string, results: BenchResults): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${results.runId}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

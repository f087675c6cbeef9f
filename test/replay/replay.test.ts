/**
 * Replays the recorded history of every saga branch (see test/replay/record-histories.ts) against the workflow
 * code as it is now: a change that would break checkouts already running fails here, not in production.
 * Needs no server: the replay runs in this process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_PRELOAD_MODULES, workflowsPath } from '../../src/roles/checkout-worker.ts';
import { WORKFLOW_INTERCEPTOR_MODULES, workflowSpanSinks } from '../../src/platform/telemetry/temporal.ts';
import { TRACING_OFF } from '../../src/platform/telemetry/tracing.ts';
import { BRANCHES, REFUND_BRANCHES } from './branches.ts';
import { replayDataConverter } from '../../harness/payload-keys.ts';
import { ENCRYPTED_ENCODING } from '../../src/platform/codec/payload-codec.ts';
import { codecPayloadsOf } from '../../src/platform/codec/payload-json.ts';

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
/**
 * Histories recorded before the quick steps became local activities: checkouts still running from then
 * must keep replaying on the code as it is now (their path is kept behind `patched('local-steps')`).
 */
const legacyHistoriesDir = path.join(historiesDir, 'before-local-steps');
/** Histories recorded before payment safety (see `workflows/versions.ts`), whose failure paths it changed. */
const beforePaymentSafetyDir = path.join(historiesDir, 'before-payment-safety');
/**
 * Histories recorded before crash safety (cancels judged at step boundaries, attempts told, gateway refusals
 * classified): checkouts running from then must keep replaying.
 */
const beforeCrashSafetyDir = path.join(historiesDir, 'before-crash-safety');
/**
 * Histories recorded before local authorization (authorization a regular activity, each undo step registered
 * before its step): checkouts running from then must keep replaying.
 */
const beforeLocalAuthorizationDir = path.join(historiesDir, 'before-local-authorization');
const changedWorkflowsPath = fileURLToPath(new URL('./fixtures/changed-workflows/index.ts', import.meta.url));
const patchedWorkflowsPath = fileURLToPath(new URL('./fixtures/patched-workflows/index.ts', import.meta.url));

const readHistories = (dir: string, prefix: string) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ workflowId: `${prefix}${path.basename(file, '.json')}`, history: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown }));

const current = readHistories(historiesDir, '');
const legacy = readHistories(legacyHistoriesDir, 'before-local-steps/');
const beforePaymentSafety = readHistories(beforePaymentSafetyDir, 'before-payment-safety/');
const beforeCrashSafety = readHistories(beforeCrashSafetyDir, 'before-crash-safety/');
const beforeLocalAuthorization = readHistories(beforeLocalAuthorizationDir, 'before-local-authorization/');
const histories = [...current, ...legacy, ...beforePaymentSafety, ...beforeCrashSafety, ...beforeLocalAuthorization];
/**
 * The refund workflow's histories (test/replay/histories/refunds/), replayed under the workflow id their
 * payloads are sealed for (recorded since payloads are bound to their workflow), named by branch.
 */
const refundHistories = readHistories(path.join(historiesDir, 'refunds'), 'refunds/').map(({ workflowId: name, history }) => ({ name, workflowId: boundWorkflowIdOf(history) ?? name, history }));

/** The branches the saga had before payment safety added its own. */
const BRANCHES_BEFORE_PAYMENT_SAFETY = [
  'authorization-answer-timed-out',
  'authorization-retried',
  'cancel-refused-during-capture',
  'cancelled-while-held',
  'capture-failed',
  'card-declined',
  'compensation-retried',
  'completed',
  'failover-to-secondary',
  'fraud-declined',
  'insufficient-funds',
  'lost-answers-recovered-without-failover',
  'out-of-stock',
  'review-approved',
  'review-rejected',
  'review-timed-out',
];

/** The branches the saga had before crash safety added its own. */
const BRANCHES_BEFORE_CRASH_SAFETY = [
  ...BRANCHES_BEFORE_PAYMENT_SAFETY,
  'capture-answer-lost-recovered',
  'compensation-escalated',
  'lost-then-unavailable-recovered',
].sort();

/** The workflow id a history's payloads are sealed for, if they are bound to one. */
function boundWorkflowIdOf(history: unknown): string | undefined {
  const bound = [...codecPayloadsOf(history)].map((p) => p.metadata?.['encryption-workflow-id']).find((id) => id !== undefined);
  return bound === undefined ? undefined : Buffer.from(bound, 'base64').toString('utf8');
}

async function replay(options: { workflowsPath: string }, replayed: typeof histories = histories): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  // With the workflow interceptors and preloaded modules production workers bundle: they must replay the
  // histories recorded before them.
  const tracing = { interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }, sinks: workflowSpanSinks(TRACING_OFF) };
  const bundlerOptions = { preloadModules: WORKFLOW_PRELOAD_MODULES };
  for await (const result of Worker.runReplayHistories({ ...options, ...tracing, bundlerOptions, dataConverter: replayDataConverter(), replayName: 'checkout-histories' }, replayed)) results.push(result);
  return results;
}

beforeAll(() => {
  try {
    // The changed code's nondeterminism is expected here: keep Core's warnings about it out of the output.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
    });
  } catch {
    // Installed already in this process.
  }
});

describe('recorded checkout histories', () => {
  it('cover every branch of the saga on the current code, and every branch each earlier version had', () => {
    const branches = BRANCHES.map((b) => b.name).sort();
    expect(current.map((h) => h.workflowId)).toEqual(branches);
    expect(legacy.map((h) => h.workflowId)).toEqual(BRANCHES_BEFORE_PAYMENT_SAFETY.map((name) => `before-local-steps/${name}`));
    expect(beforePaymentSafety.map((h) => h.workflowId)).toEqual(BRANCHES_BEFORE_PAYMENT_SAFETY.map((name) => `before-payment-safety/${name}`));
    expect(beforeCrashSafety.map((h) => h.workflowId)).toEqual(BRANCHES_BEFORE_CRASH_SAFETY.map((name) => `before-crash-safety/${name}`));
    // Local authorization added no branch: each of today's was recorded on the version before it too.
    expect(beforeLocalAuthorization.map((h) => h.workflowId)).toEqual(branches.map((name) => `before-local-authorization/${name}`));
  });

  it('hold every payload encrypted (search attributes aside), so a fixture shows no token or customer data', () => {
    const encrypted = Buffer.from(ENCRYPTED_ENCODING).toString('base64');
    for (const { workflowId, history } of [...histories, ...refundHistories]) {
      const payloads = [...codecPayloadsOf(history)];
      expect(payloads.length, workflowId).toBeGreaterThan(3);
      const plain = payloads.filter((p) => p.metadata?.encoding !== encrypted);
      expect(plain, workflowId).toEqual([]);
      const text = payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('latin1')).join('\n');
      expect(text, workflowId).not.toMatch(/tok_|@example|"email"|"line1"/);
    }
  });

  it('replay without error on the current workflow code', { timeout: 120_000 }, async () => {
    const results = await replay({ workflowsPath });
    expect(results.map((r) => ({ branch: r.workflowId, error: r.error?.message }))).toEqual(histories.map((h) => ({ branch: h.workflowId, error: undefined })));
  });

  it('catch a change that reorders the steps, with a DeterminismViolationError for every branch', { timeout: 120_000 }, async () => {
    const results = await replay({ workflowsPath: changedWorkflowsPath });
    expect(results).toHaveLength(histories.length);
    for (const result of results) {
      expect(result.error, result.workflowId).toBeInstanceOf(DeterminismViolationError);
    }
  });

  it('replay without error when the same change is made behind patched()', { timeout: 120_000 }, async () => {
    const results = await replay({ workflowsPath: patchedWorkflowsPath });
    expect(results.map((r) => ({ branch: r.workflowId, error: r.error?.message }))).toEqual(histories.map((h) => ({ branch: h.workflowId, error: undefined })));
  });
});

describe('recorded refund histories', () => {
  it('cover every branch of the refund workflow', () => {
    expect(refundHistories.map((h) => h.name)).toEqual(REFUND_BRANCHES.map((b) => `refunds/${b.name}`).sort());
  });

  it('replay without error on the current workflow code', { timeout: 120_000 }, async () => {
    const results = await replay({ workflowsPath }, refundHistories);
    const nameOf = new Map(refundHistories.map((h) => [h.workflowId, h.name]));
    expect(results.map((r) => ({ branch: nameOf.get(r.workflowId), error: r.error?.message }))).toEqual(refundHistories.map((h) => ({ branch: h.name, error: undefined })));
  });
});

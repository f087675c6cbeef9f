/**
 * Structural guards on the checkout saga, counted rather than timed, on the real worker (its bundle,
 * activities, simulators and database):
 * - the happy path's history: how many events and workflow tasks it takes and its exact shape, so a change
 *   that adds round trips to the server shows up here, not in a load test;
 * - what the workflow sandbox evaluates: the worker evaluates a run's modules afresh for every workflow, so
 *   OpenTelemetry, needed by traced checkouts only, must not be evaluated for an untraced one. A probe
 *   bundled beside the service's interceptors (fixtures/module-probe.ts) reports each run's module cache.
 */
import { fileURLToPath } from 'node:url';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { InjectedSinks } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowShape } from '../../bench/workflow-shape.ts';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { checkoutWorkflowId } from '../../src/contracts/workflow.ts';
import { startTracing, type Tracing } from '../../src/platform/telemetry/tracing.ts';
import { createTemporalCheckouts, type CheckoutsPort } from '../../src/checkouts/temporal-checkouts.ts';
import { bundleWorkflows } from '../../src/roles/checkout-worker.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import type { ModuleProbeSinks, ModuleReport } from './fixtures/module-probe.ts';
import { newCustomer } from './support/world.ts';

/**
 * The most history events and workflow tasks (server round trips) a happy-path checkout may take. A change
 * that saves some lowers these; one that needs more raises them only saying why, here and in its commit.
 * HAPPY_PATH_SHAPE pins today's counts exactly, so no change of shape, up or down, goes unnoticed.
 */
const MAX_HISTORY_EVENTS = 20;
const MAX_WORKFLOW_TASKS = 2;

/**
 * The happy path today: task 1 takes the `patched()` marker (and its TemporalChangeVersion upsert), six local
 * steps — reserve, score, authorize, order, capture, paid and committed — the status upsert, and schedules
 * announceOutcome; task 2 completes the workflow. Counted as the benchmark counts it (bench/workflow-shape.ts).
 */
const HAPPY_PATH_SHAPE = { historyEvents: 20, workflowTasks: 2, localActivities: 6, activities: 1, upserts: 1, patches: 1 };
const HAPPY_PATH_ACTIVITIES = ['announceOutcome'];

const PROBE = fileURLToPath(new URL('./fixtures/module-probe.ts', import.meta.url));
const reports = new Map<string, ModuleReport>();
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: CheckoutStack;
/** Checkouts started as the API starts them, with and without the client's tracing interceptor. */
let traced: CheckoutsPort;
let untraced: CheckoutsPort;

beforeAll(async () => {
  // A traced worker: whether a checkout is traced is up to its start (`_tracer-data` in its headers).
  tracing = startTracing({ tracesEndpoint: null, serviceName: 'durable-checkout-test' }, 'test', { spanProcessor: new SimpleSpanProcessor(exporter) });
  const sinks: InjectedSinks<ModuleProbeSinks> = { moduleProbe: { report: { fn: (info, report) => void reports.set(info.workflowId, report) } } };
  stack = await startCheckoutStack({ tracing, workflowBundle: await bundleWorkflows({ extraInterceptorModules: [PROBE] }), sinks });
  const { namespace, dataConverter } = stack.client.options;
  const on = (client: Client) => createTemporalCheckouts({ client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db });
  traced = on(stack.client);
  untraced = on(new Client({ connection: stack.client.connection, namespace, dataConverter }));
});

afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
});

/** A tok_visa checkout of two mugs, run to its end. */
async function happyPath(checkouts: CheckoutsPort): Promise<WorkflowHandle> {
  const input = stack.input({ token: 'tok_visa', customer: newCustomer() });
  await checkouts.start(input, { idempotent: false });
  const handle = stack.client.workflow.getHandle(checkoutWorkflowId(input.checkoutId));
  expect(((await handle.result()) as CheckoutView).status).toBe('completed');
  return handle;
}

const workflowRuns = () => exporter.getFinishedSpans().filter((s) => s.name === 'RunWorkflow:checkoutWorkflow').length;

describe('the happy path', () => {
  it(`takes at most ${MAX_HISTORY_EVENTS} history events and ${MAX_WORKFLOW_TASKS} workflow tasks, in today's shape`, async () => {
    const handle = await happyPath(untraced);

    const { workflowId: _, ...shape } = await workflowShape(stack.client, handle.workflowId);
    expect(shape.historyEvents).toBeLessThanOrEqual(MAX_HISTORY_EVENTS);
    expect(shape.workflowTasks).toBeLessThanOrEqual(MAX_WORKFLOW_TASKS);
    expect(shape).toEqual(HAPPY_PATH_SHAPE);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual(HAPPY_PATH_ACTIVITIES);
  });
});

describe('the workflow sandbox', () => {
  it('evaluates no OpenTelemetry module for an untraced checkout, and does for a traced one', async () => {
    const runsBefore = workflowRuns();
    const plain = await happyPath(untraced);
    // The worker runs the sinks of an activation before it reports the activation: the report is in.
    const plainReport = reports.get(plain.workflowId);
    // The probe read this run's module cache (it holds the workflow module), and found no OpenTelemetry in it.
    expect(plainReport).toMatchObject({ workflowModule: true });
    expect(plainReport!.openTelemetry).toEqual([]);
    expect(workflowRuns()).toBe(runsBefore);

    // A traced checkout evaluates Temporal's OpenTelemetry workflow interceptors, and its run is a span.
    const spanned = await happyPath(traced);
    const tracedReport = reports.get(spanned.workflowId);
    expect(tracedReport).toMatchObject({ workflowModule: true });
    expect(tracedReport!.openTelemetry).toContainEqual(expect.stringMatching(/@temporalio[\\/]interceptors-opentelemetry[\\/]lib[\\/]workflow[\\/]index\.js$/));
    expect(workflowRuns()).toBe(runsBefore + 1);
  });
});

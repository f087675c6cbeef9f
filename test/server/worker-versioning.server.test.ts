/**
 * Worker deployment versioning for the worker role (`WORKER_BUILD_ID`), on the Temporal server 1.32: each
 * checkout is pinned to the build that was current when it started. A rollout (docs/operations.md, "Rolling
 * out a new worker") is followed step by step: build v1 serves; a checkout waits for review on v1; build
 * v2 becomes current and is stopped again, so a new checkout has only v1 to go to — and v1 never takes it;
 * the checkout on v1 finishes on v1; v2 comes back and finishes the new checkout; rolling back to v1
 * sends the next checkout to v1. Run with `npm run test:server` (part of `npm test`).
 */
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/ports.ts';
import { waitFor } from '../support/wait-for.ts';
import { DEV_HEADERS, startCheckout, startTopology, type Topology } from './support/topology.ts';

const DEPLOYMENT = 'durable-checkout';
const { merchant, operator } = DEV_HEADERS;

let topology: Topology;
let api: string;

beforeAll(async () => {
  topology = await startTopology('versioning');
  api = await topology.api('api');
}, 300_000);

afterAll(async () => {
  await topology?.stop();
}, 120_000);

const startWorker = async (build: string) =>
  topology.role(`worker-${build}`, ['worker'], { WORKER_BUILD_ID: build, WORKER_METRICS_PORT: String(await freePort()) }, 'worker polling');

/** What an operator runs as `temporal worker deployment set-current-version`; the version exists once its workers polled. */
async function makeCurrent(build: string): Promise<void> {
  await waitFor(
    async () => {
      try {
        await topology.client.workflowService.setWorkerDeploymentCurrentVersion({ namespace: 'default', deploymentName: DEPLOYMENT, buildId: build, identity: 'rollout-test' });
        return true;
      } catch (error) {
        if (/not found|does not exist|no pollers|not yet/i.test(String(error))) return false;
        throw error;
      }
    },
    { what: `${build} made current`, timeoutMs: 60_000, intervalMs: 500 },
  );
}

const statusOf = async (id: string) => ((await (await fetch(`${api}/v1/checkouts/${id}`, { headers: merchant })).json()) as { status: string }).status;
const until = (id: string, status: string) => waitFor(async () => (await statusOf(id)) === status, { what: `${id} ${status}`, timeoutMs: 60_000, intervalMs: 200 });

/** The build a checkout is pinned to, as the server records it. */
async function buildOf(id: string): Promise<string | null | undefined> {
  const { raw } = await topology.client.workflow.getHandle(`checkout-${id}`).describe();
  const versioning: temporal.api.workflow.v1.IWorkflowExecutionVersioningInfo | null | undefined = raw.workflowExecutionInfo?.versioningInfo;
  return versioning?.deploymentVersion?.buildId;
}

/** How many workflow tasks of a checkout a worker has started. */
async function tasksStarted(id: string): Promise<number> {
  const history = await topology.client.workflow.getHandle(`checkout-${id}`).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowTaskStartedEventAttributes).length;
}

describe('a rolling deploy of the worker role', { timeout: 240_000 }, () => {
  it('runs each checkout on the build it started on, never hands a new checkout to an old build, and rolls back', async () => {
    await startWorker('v1');
    await makeCurrent('v1');
    const held = await startCheckout(api, 'tok_riskReview');
    await until(held, 'awaiting_review');
    expect(await buildOf(held)).toBe('v1');

    // v2 becomes current, then goes away: a new checkout now belongs to v2, and only v1 runs.
    const v2 = await startWorker('v2');
    await makeCurrent('v2');
    await v2.stop();
    const fresh = await startCheckout(api, 'tok_visa');

    // The checkout pinned to v1 goes on on v1: the old build is alive and polling…
    const review = await fetch(`${api}/v1/checkouts/${held}/review`, { method: 'POST', headers: operator, body: JSON.stringify({ decision: 'approve' }) });
    expect(review.status).toBe(200);
    await until(held, 'completed');
    expect(await buildOf(held)).toBe('v1');
    // …and has not taken the new checkout's task, nor does it in the seconds after.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await tasksStarted(fresh)).toBe(0);
    expect((await topology.client.workflow.getHandle(`checkout-${fresh}`).describe()).status.name).toBe('RUNNING');

    // v2 comes back and runs its checkout.
    await startWorker('v2');
    await until(fresh, 'completed');
    expect(await buildOf(fresh)).toBe('v2');
    // What an operator watching a ramp lists in the Web UI (docs/operations.md): the checkouts of one build.
    const ofBuild = async (build: string) => {
      const ids: string[] = [];
      for await (const w of topology.client.workflow.list({ query: `TemporalWorkerDeploymentVersion = '${DEPLOYMENT}:${build}'` })) ids.push(w.workflowId);
      return ids.sort();
    };
    await waitFor(async () => (await ofBuild('v2')).length === 1, { what: 'the v2 checkout in visibility', timeoutMs: 20_000, intervalMs: 500 });
    expect(await ofBuild('v2')).toEqual([`checkout-${fresh}`]);
    expect(await ofBuild('v1')).toEqual([`checkout-${held}`]);

    // Rollback: v1 current again; the next checkout runs on v1 while v2 still runs.
    await makeCurrent('v1');
    const after = await startCheckout(api, 'tok_visa');
    await until(after, 'completed');
    expect(await buildOf(after)).toBe('v1');
  });
});

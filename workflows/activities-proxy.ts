/** The activity stubs of the saga: one policy (activity-policies.ts) and one Web UI summary per call site. */
import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { CheckoutActivities } from '../activities/index.ts';

export const activities = (options: ActivityOptions, summary: string) => proxyActivities<CheckoutActivities>({ ...options, summary });

export type CheckoutActivityStubs = ReturnType<typeof activities>;

/**
 * Stubs for the steps that are fast and carry their own idempotency key (stock, fraud score, order, capture,
 * the final records): local activities, run by the worker inside the workflow task with no task-queue
 * round trip, when `local` is set. A worker that dies before the task completes leaves no trace of them,
 * so the next worker runs every one of that task again — which each step's key makes safe. Checkouts
 * started before local steps keep running them as regular activities (see `patched('local-steps')`).
 */
export const quickSteps =
  (local: boolean) =>
  (options: ActivityOptions, summary: string): CheckoutActivityStubs =>
    local
      ? proxyLocalActivities<CheckoutActivities>({ startToCloseTimeout: options.startToCloseTimeout, retry: options.retry, summary })
      : activities(options, summary);

export type QuickSteps = ReturnType<typeof quickSteps>;

/** The path a checkout takes: `local` once it started on local steps, and the stubs of its quick steps. */
export interface SagaPath {
  local: boolean;
  quick: QuickSteps;
}

export const sagaPath = (local: boolean): SagaPath => ({ local, quick: quickSteps(local) });

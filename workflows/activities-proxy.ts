/** The activity stubs of the saga: one policy (activity-policies.ts) and one Web UI summary per call site. */
import { isCancellation, log, proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { CheckoutActivities } from '../activities/index.ts';
import * as policy from './activity-policies.ts';

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
      ? proxyLocalActivities<CheckoutActivities>({
          startToCloseTimeout: options.startToCloseTimeout,
          scheduleToCloseTimeout: options.scheduleToCloseTimeout,
          retry: options.retry,
          summary,
        })
      : activities(options, summary);

export type QuickSteps = ReturnType<typeof quickSteps>;

/**
 * The path a checkout takes, chosen once at its start: `local` once it started on local steps, the stubs of
 * its quick steps, `durableOutcome` once its outcome is announced by a regular activity, after the decision
 * is in the history (outcome.ts), and `localAuthorization` once authorization is a quick step too, its
 * attempts recorded before the gateway is asked and every undo registered before the first step (payments.ts).
 */
export interface SagaPath {
  local: boolean;
  durableOutcome: boolean;
  localAuthorization: boolean;
  quick: QuickSteps;
}

export const sagaPath = ({ local, durableOutcome = false, localAuthorization = false }: { local: boolean; durableOutcome?: boolean; localAuthorization?: boolean }): SagaPath => ({
  local,
  durableOutcome,
  localAuthorization,
  quick: quickSteps(local),
});

/**
 * Runs a step that must happen (the customer has paid; the outcome must be recorded and published). On
 * local steps it is a local activity for some twenty seconds, then a regular activity the server retries
 * without end: a local activity retried for long keeps its workflow task alive with a heartbeat every few
 * seconds — tens of thousands of history events a day of outage — while the server's retries write none.
 */
export async function mustFinish<T>(path: SagaPath, summary: string, step: (steps: CheckoutActivityStubs) => Promise<T>): Promise<T> {
  if (!path.local) return step(activities(policy.mustFinish, summary));
  try {
    return await step(path.quick(policy.mustFinishLocally, summary));
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.warn('a step that must happen keeps failing; the server retries it from now on', { step: summary, error: String(error) });
    return step(activities(policy.mustFinish, summary));
  }
}

/**
 * Announces a checkout's outcome: stores its final state (which the API serves once the workflow is closed)
 * and publishes its event. One regular activity, scheduled by the workflow task that decided the outcome, so
 * the decision and the announcement's content are in the history before anything is announced: a worker
 * that dies mid-task can never have announced an outcome its retried task might not reach. Both halves are
 * idempotent (an upsert; a derived event id), so a retried announcement changes nothing.
 */
import type { CheckoutView } from '../src/contracts/checkout.ts';
import type { CheckoutEvent } from '../src/contracts/events.ts';

export interface OutcomeSteps {
  /** `event`: the outcome in clear, whose customer the record keeps sealed (for a refund's email). */
  recordCheckoutResult(view: CheckoutView, event: CheckoutEvent): Promise<void>;
  publishOutcome(event: CheckoutEvent): Promise<{ seq: number; duplicate: boolean }>;
}

export const createOutcomeActivities = (steps: OutcomeSteps) => ({
  async announceOutcome({ view, event }: { view: CheckoutView; event: CheckoutEvent }): Promise<{ seq: number; duplicate: boolean }> {
    await steps.recordCheckoutResult(view, event);
    return steps.publishOutcome(event);
  },
});

export type OutcomeActivities = ReturnType<typeof createOutcomeActivities>;

/**
 * The end of every saga: the final state recorded, and its outcome event published once — by a regular
 * activity, so the workflow task that decides the outcome records the decision, and the view and event to
 * announce, before anything is announced (workflows/README.md, rule 4). Checkouts started before this
 * recorded and published with local steps in the deciding task.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { outcomeEvent } from '../src/contracts/outcome-event.ts';
import type { CheckoutStatus, CheckoutView } from '../src/contracts/workflow.ts';
import { activities, mustFinish, type SagaPath } from './activities-proxy.ts';
import * as policy from './activity-policies.ts';
import type { CheckoutState } from './checkout-state.ts';

/** Records the final state, publishes the outcome once, and lets open update handlers answer first. */
export async function finish(state: CheckoutState, status: CheckoutStatus, path: SagaPath): Promise<CheckoutView> {
  state.setStatus(status);
  state.reached('done');
  const view = state.view();
  const event = outcomeEvent(state.input, view);
  const summary = `Record and publish ${status}`;
  if (path.durableOutcome) {
    await activities(policy.mustFinish, summary).announceOutcome({ view, event });
  } else {
    await mustFinish(path, summary, (steps) => steps.recordCheckoutResult(view));
    await mustFinish(path, summary, (steps) => steps.publishOutcome(event));
  }
  state.outcomeRecorded = true;
  await condition(allHandlersFinished);
  return view;
}

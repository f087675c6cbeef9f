/** The end of every saga: the final state recorded, and its outcome event published once. */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { outcomeEvent, type CheckoutStatus, type CheckoutView } from '../src/contracts/saga.ts';
import { mustFinish, type SagaPath } from './activities-proxy.ts';
import type { CheckoutState } from './checkout-state.ts';

/** Records the final state, publishes the outcome once, and lets open update handlers answer first. */
export async function finish(state: CheckoutState, status: CheckoutStatus, path: SagaPath): Promise<CheckoutView> {
  state.setStatus(status);
  state.reached('done');
  const view = state.view();
  const { input } = state;
  const summary = `Record and publish ${status}`;
  await mustFinish(path, summary, (steps) => steps.recordCheckoutResult(view));
  await mustFinish(path, summary, (steps) => steps.publishOutcome(outcomeEvent(input, view)));
  state.outcomeRecorded = true;
  await condition(allHandlersFinished);
  return view;
}

/**
 * The builder of a checkout's outcome event, beside the event schemas (events.ts) and free of zod like the
 * workflow's interface: the workflow builds the event in its sandbox, so this file imports types alone.
 */
import type { CheckoutEvent } from './events.ts';
import { CURRENT_EVENT_VERSION, checkoutEventId, outcomeEventType } from './vocabulary.ts';
import { merchantReferenceOf, type CheckoutView, type CheckoutWorkflowInput } from './workflow.ts';

/** The outcome event of a checkout in its final state: what subscribers need, no payment token. */
export function outcomeEvent(input: CheckoutWorkflowInput, view: CheckoutView): CheckoutEvent {
  const type = outcomeEventType(view.status);
  return {
    id: checkoutEventId(input.checkoutId, type),
    type,
    version: CURRENT_EVENT_VERSION,
    occurredAt: view.updatedAt,
    checkoutId: input.checkoutId,
    data: {
      merchantId: input.merchantId,
      orderId: view.orderId,
      customer: input.customer,
      amount: input.amount,
      items: input.items,
      failure: view.failure,
      fraud: view.fraud ? { score: view.fraud.score, decision: view.fraud.decision } : null,
      startedAt: input.createdAt,
      ...merchantReferenceOf(input),
    },
  };
}

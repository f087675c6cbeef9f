/**
 * The builders of a checkout's outcome event and of its refunds' events, beside the event schemas (events.ts) and free of zod like the
 * workflow's interface: the workflow builds the event in its sandbox, so this file imports types alone.
 */
import type { CheckoutEvent } from './events.ts';
import type { RefundView } from './refund.ts';
import { CURRENT_EVENT_VERSION, checkoutEventId, outcomeEventType, refundEventId, type RefundEventType } from './vocabulary.ts';
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

/** The event of a refund that reached its end (refunded, refused, escalated), with its checkout's facts. */
export function refundEvent(checkout: CheckoutView, customer: CheckoutEvent['data']['customer'], refund: RefundView): CheckoutEvent {
  const type: RefundEventType = refund.status === 'succeeded' ? 'checkout.refunded' : 'checkout.refund_failed';
  return {
    id: refundEventId(refund.id, type),
    type,
    version: CURRENT_EVENT_VERSION,
    occurredAt: refund.updatedAt,
    checkoutId: checkout.id,
    data: {
      merchantId: checkout.merchantId,
      orderId: checkout.orderId,
      customer,
      amount: checkout.amount,
      items: checkout.items,
      failure: null,
      fraud: checkout.fraud ? { score: checkout.fraud.score, decision: checkout.fraud.decision } : null,
      startedAt: checkout.createdAt,
      metadata: checkout.metadata ?? {},
      clientReferenceId: checkout.clientReferenceId ?? null,
      refund: { id: refund.id, amount: refund.amount, currency: refund.currency, status: refund.status, reason: refund.reason, failureCode: refund.failure?.code ?? null },
    },
  };
}

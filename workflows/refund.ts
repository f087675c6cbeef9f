/**
 * A refund of a completed checkout: admitted against what is left to refund (the API's update answers then),
 * sent to the gateway holding the capture with the refund's id as its idempotency key, then recorded and
 * announced. The gateway is retried with backoff until the refund's deadline; a refusal that says nothing
 * was refunded fails the refund (its amount is refundable again), anything else escalates it to an operator.
 * No failover: the money is at the gateway that captured it.
 */
import { allHandlersFinished, condition, log, setHandler } from '@temporalio/workflow';
import { refundEvent } from '../src/contracts/outcome-event.ts';
import { getRefundQuery, refundAdmissionUpdate, type RefundAdmission, type RefundView, type RefundWorkflowInput } from '../src/contracts/refund.ts';
import type { GatewayName } from '../src/contracts/workflow.ts';
import { GATEWAY_CALL_DEADLINE_MS, undoRefusal } from '../src/payments/failures.ts';
import { activities } from './activities-proxy.ts';
import * as policy from './activity-policies.ts';
import { activityFailureMessage, applicationFailureType } from './saga-failures.ts';

/** Gateway refusals that say the capture has nothing (or not enough) left: the refund did not happen. */
const NOTHING_REFUNDED = new Set(['already_refunded', 'amount_too_large']);

export async function refundWorkflow(input: RefundWorkflowInput & { deadlineMs: number }): Promise<RefundView | null> {
  let admission: RefundAdmission | null = null;
  let view: RefundView | null = null;
  setHandler(getRefundQuery, () => view);
  setHandler(refundAdmissionUpdate, async () => {
    await condition(() => admission !== null);
    return admission!.admitted ? { admitted: true as const, refund: view! } : admission!;
  });

  admission = await activities(policy.databaseStep, 'Admit the refund').admitRefund(input);
  if (!admission.admitted) {
    log.info('refund refused', { code: admission.code });
    await condition(allHandlersFinished);
    return null;
  }
  view = admission.refund;

  if (view.status === 'pending') {
    const gateway = activities(
      // Each call as long as any payment step's (GATEWAY_TIMEOUT is shorter), retried with backoff until the deadline.
      { startToCloseTimeout: GATEWAY_CALL_DEADLINE_MS, scheduleToCloseTimeout: input.deadlineMs, retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10m' } },
      `Refund ${view.amount} ${view.currency} at the ${view.gateway} gateway`,
    );
    try {
      const { gatewayRefundId } = await gateway.issueRefund({ gateway: view.gateway as GatewayName, refundId: view.id, captureId: view.captureId, amount: view.amount });
      view = { ...view, status: 'succeeded', gatewayRefundId, updatedAt: new Date().toISOString() };
    } catch (error) {
      const refusal = undoRefusal(applicationFailureType(error));
      const failed = refusal !== undefined && NOTHING_REFUNDED.has(refusal.code);
      const message = failed ? `the ${view.gateway} gateway refused the refund (${refusal!.code}): ${activityFailureMessage(error)}` : `the refund could not be confirmed at the ${view.gateway} gateway: ${activityFailureMessage(error)}`;
      if (!failed) log.warn('refund escalated to an operator', { refundId: view.id, gateway: view.gateway });
      view = { ...view, status: failed ? 'failed' : 'escalated', failure: { code: failed ? 'refund_refused' : 'refund_escalated', message }, updatedAt: new Date().toISOString() };
    }
    const event = admission.customer ? refundEvent(admission.checkout, admission.customer, view) : null;
    await activities(policy.mustFinish, `Record and publish the refund's ${view.status}`).settleRefund({ refund: view, event });
  }
  await condition(allHandlersFinished);
  return view;
}

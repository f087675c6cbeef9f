/**
 * The refund contract: a refund of a completed checkout is its own workflow, started by the API with an
 * update that answers once the refund is admitted (or refused: more than is left to refund). Free of zod,
 * like workflow.ts: the workflow sandbox imports it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CheckoutCustomer, CheckoutView } from './workflow.ts';

/** The registered name of the refund workflow function. */
export const REFUND_WORKFLOW_TYPE = 'refundWorkflow';

/** The Temporal workflow id of a refund. */
export const refundWorkflowId = (refundId: string) => `refund-${refundId}`;

/** Why the merchant refunds, as the card networks ask (Stripe's reasons). */
export const REFUND_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/**
 * `pending`: admitted, the gateway not yet done; `succeeded`: the gateway refunded; `failed`: the gateway
 * refused and nothing was refunded (the amount is refundable again); `escalated`: the gateway's answer never
 * came or made no sense within the refund's deadline — an operator must look, and the amount stays held.
 */
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed', 'escalated'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface RefundWorkflowInput {
  refundId: string;
  checkoutId: string;
  merchantId: string;
  /** Minor units; null refunds everything still refundable. */
  amount: number | null;
  reason: RefundReason | null;
  requestedAt: string;
}

export interface RefundView {
  id: string;
  checkoutId: string;
  merchantId: string;
  orderId: string;
  amount: number;
  currency: string;
  reason: RefundReason | null;
  status: RefundStatus;
  /** The gateway holding the capture, the capture, and the gateway's refund id once it refunded. */
  gateway: string;
  captureId: string;
  gatewayRefundId: string | null;
  failure: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** Why a refund was not admitted: the checkout took no money to refund, or less is left than asked for. */
export type RefundRefusal = { code: 'not_refundable' | 'amount_exceeds_refundable'; message: string; refundable: number; currency: string };

/**
 * What the admission step decided; on admission the refund, the checkout as recorded and its customer (null
 * when the checkout finished before its customer was kept: the refund then goes ahead without an event).
 */
export type RefundAdmission = { admitted: true; refund: RefundView; checkout: CheckoutView; customer: CheckoutCustomer | null } | ({ admitted: false } & RefundRefusal);

/** The API's update: answers once the refund is admitted or refused. */
export const refundAdmissionUpdate = defineUpdate<{ admitted: true; refund: RefundView } | ({ admitted: false } & RefundRefusal)>('refundAdmission');
export const getRefundQuery = defineQuery<RefundView | null>('getRefund');

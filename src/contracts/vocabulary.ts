/**
 * The checkout's vocabulary: the names of its statuses, steps, failure codes, fraud decisions, gateways,
 * notification channels and outcome events. Constants only, imported by everything else — the zod schemas,
 * the workflow (without zod, see workflow.ts) and the subscribers — and importing nothing but the gateway
 * table (src/payments/gateways.ts), whose names it re-exports.
 */

/**
 * `escalated`: the saga stopped, and part of its undo could not be done automatically (e.g. the gateway no
 * longer knows the authorization to void); `compensation.escalated` says what is left to do by hand.
 */
export const CHECKOUT_STATUSES = ['pending', 'awaiting_review', 'compensating', 'completed', 'declined', 'cancelled', 'failed', 'escalated'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

/** Statuses after which nothing about the checkout changes again. */
export const FINAL_STATUSES: readonly CheckoutStatus[] = ['completed', 'declined', 'cancelled', 'failed', 'escalated'];
export const isFinalStatus = (status: CheckoutStatus) => FINAL_STATUSES.includes(status);

export const FAILURE_CODES = [
  'out_of_stock',
  'fraud_declined',
  'review_rejected',
  'review_timeout',
  'card_declined',
  'insufficient_funds',
  'gateway_unavailable',
  'capture_failed',
  'cancelled_by_client',
  'internal_error',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];
export const isFailureCode = (value: string | undefined): value is FailureCode => (FAILURE_CODES as readonly (string | undefined)[]).includes(value);

/** Where the saga is; `timeline` records each step reached with its time. */
export const CHECKOUT_STEPS = [
  'started',
  'inventory_reserved',
  'fraud_scored',
  'awaiting_review',
  'review_approved',
  'payment_authorized',
  'order_created',
  'payment_captured',
  'inventory_committed',
  'compensating',
  'compensated',
  'escalated',
  'done',
] as const;
export type CheckoutStep = (typeof CHECKOUT_STEPS)[number];

export const FRAUD_DECISIONS = ['approve', 'review', 'decline'] as const;
export type FraudDecision = (typeof FRAUD_DECISIONS)[number];

/** The payment gateways' names, in failover order: from the gateway table. */
export { GATEWAY_NAMES, type GatewayName } from '../payments/gateways.ts';

/** The channels a customer can be told of a checkout's outcome on. */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The version of the outcome event envelope the saga publishes. */
export const CURRENT_EVENT_VERSION = 1;

/** The outcome of each checkout: one of these per checkout, once. */
export const OUTCOME_EVENT_TYPES = ['checkout.completed', 'checkout.declined', 'checkout.cancelled', 'checkout.failed', 'checkout.escalated'] as const;
export type OutcomeEventType = (typeof OUTCOME_EVENT_TYPES)[number];

/**
 * A refund of a completed checkout: refunded, or not (refused by the gateway, or escalated to an operator).
 * Named under `checkout.`, so they share the stream, its subjects and the consumers' filters.
 */
export const REFUND_EVENT_TYPES = ['checkout.refunded', 'checkout.refund_failed'] as const;
export type RefundEventType = (typeof REFUND_EVENT_TYPES)[number];

export const CHECKOUT_EVENT_TYPES = [...OUTCOME_EVENT_TYPES, ...REFUND_EVENT_TYPES] as const;
export type CheckoutEventType = (typeof CHECKOUT_EVENT_TYPES)[number];

export const isRefundEventType = (type: CheckoutEventType): type is RefundEventType => (REFUND_EVENT_TYPES as readonly string[]).includes(type);

/** The event type of a final checkout status, e.g. `completed` → `checkout.completed`. */
export function outcomeEventType(status: CheckoutStatus): OutcomeEventType {
  const type = `checkout.${status}`;
  if (!(OUTCOME_EVENT_TYPES as readonly string[]).includes(type)) throw new TypeError(`${status} is not a final status: no outcome event`);
  return type as OutcomeEventType;
}

/** The event id of an outcome; deterministic, so a retried publish is dropped by the stream's duplicate window. */
export const checkoutEventId = (checkoutId: string, type: CheckoutEventType) => `evt_${checkoutId}_${type.slice('checkout.'.length)}`;

/** The event id of a refund's event: one per refund, whatever its checkout's other refunds. */
export const refundEventId = (refundId: string, type: RefundEventType) => `evt_${refundId}_${type.slice('checkout.'.length)}`;

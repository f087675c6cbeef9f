/**
 * The workflow's side of the checkout contract: identity, the names of statuses, steps and failure codes,
 * the messages the API exchanges with a running saga, the search attributes and the outcome event's id.
 * Free of zod on purpose: the workflow sandbox evaluates every module it imports once per checkout (each
 * workflow gets its own module cache), so this file holds constants and message definitions only; the zod
 * schemas built from them live in checkout.ts and events.ts, which re-export everything here.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CheckoutRequest, CheckoutView, Money, PricedItem, ReviewDecision } from './checkout.ts';
import type { CheckoutEvent } from './events.ts';

/** Types inferred from the zod schemas; importing them as types adds nothing to the workflow bundle. */
export type { CheckoutView, Money, PricedItem, ReviewDecision } from './checkout.ts';

/** The Temporal task queue the checkout worker polls unless configured otherwise. */
export const DEFAULT_TASK_QUEUE = 'checkout';

/** The registered name of the checkout workflow function; clients start it by name. */
export const CHECKOUT_WORKFLOW_TYPE = 'checkoutWorkflow';

/** The Temporal workflow id of a checkout; one checkout, one workflow, forever. */
export const checkoutWorkflowId = (checkoutId: string) => `checkout-${checkoutId}`;

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

export const GATEWAY_NAMES = ['primary', 'secondary'] as const;
export type GatewayName = (typeof GATEWAY_NAMES)[number];

/** The channels a customer can be told of a checkout's outcome on. */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The customer as the checkout carries them: who, and how they want to hear about it. */
export interface CheckoutCustomer {
  id: string;
  email: string;
  name?: string;
  /** E.164, e.g. +15551234567. */
  phone?: string;
  /** A push device token. */
  deviceToken?: string;
  /** Channels in order of preference; the first that works carries the message (default: email). */
  notify?: NotificationChannel[];
}

/** What the API hands the workflow at start: the priced cart, never client prices. */
export interface CheckoutWorkflowInput {
  checkoutId: string;
  merchantId: string;
  customer: CheckoutCustomer;
  items: PricedItem[];
  amount: Money;
  paymentToken: string;
  shippingAddress: CheckoutRequest['shippingAddress'];
  createdAt: string;
  /** How long a checkout may wait for an operator's review decision before it is declined. */
  reviewTimeoutMs: number;
}

/** The workflow's result: its final checkout object. Business refusals are results, not failures. */
export type CheckoutWorkflowResult = CheckoutView;

/** Returns the live checkout object. */
export const getCheckoutQuery = defineQuery<CheckoutView>('getCheckout');

/** `repeated`: the same command was accepted before (a retry after a lost response); nothing new happened. */
export type CommandOutcome = { accepted: true; repeated?: boolean; checkout: CheckoutView } | { accepted: false; reason: string; checkout: CheckoutView };

/** Whether `review` (a checkout's recorded decision) is this same decision by this same operator. */
export const isRepeatedReview = (review: CheckoutView['review'], decision: ReviewDecision & { operator: string }) =>
  review !== null && review.decision === decision.decision && review.operator === decision.operator;

/** Whether a checkout shows a client's cancel already done or under way. */
export const isCancelledByClient = (view: CheckoutView) => view.failure?.code === 'cancelled_by_client';

/** Asks the saga to stop and compensate; refused once capture has begun. */
export const cancelCheckoutUpdate = defineUpdate<CommandOutcome, [{ reason?: string }]>('cancelCheckout');

/** An operator's decision on a checkout held for fraud review; refused when not awaiting review. */
export const reviewCheckoutUpdate = defineUpdate<CommandOutcome, [ReviewDecision & { operator: string }]>('reviewCheckout');

/**
 * Resolves with the checkout once it is final, or after `timeoutMs` with its state then. The API now waits
 * on the workflow's result instead; the handler stays for checkouts whose callers still send it.
 */
export const waitForOutcomeUpdate = defineUpdate<CheckoutView, [{ timeoutMs: number }]>('waitForOutcome');

/** Search attributes kept current for the Temporal Web UI (registered by every server we start). */
export const searchAttributes = {
  status: defineSearchAttributeKey('CheckoutStatus', 'KEYWORD'),
  customerId: defineSearchAttributeKey('CustomerId', 'KEYWORD'),
  total: defineSearchAttributeKey('CheckoutTotal', 'INT'),
  fraudDecision: defineSearchAttributeKey('FraudDecision', 'KEYWORD'),
} as const;

/** The version of the outcome event envelope the saga publishes. */
export const CURRENT_EVENT_VERSION = 1;

export const CHECKOUT_EVENT_TYPES = ['checkout.completed', 'checkout.declined', 'checkout.cancelled', 'checkout.failed', 'checkout.escalated'] as const;
export type CheckoutEventType = (typeof CHECKOUT_EVENT_TYPES)[number];

/** The event type of a final checkout status, e.g. `completed` → `checkout.completed`. */
export function outcomeEventType(status: CheckoutStatus): CheckoutEventType {
  const type = `checkout.${status}`;
  if (!(CHECKOUT_EVENT_TYPES as readonly string[]).includes(type)) throw new TypeError(`${status} is not a final status: no outcome event`);
  return type as CheckoutEventType;
}

/** The event id of an outcome; deterministic, so a retried publish is dropped by the stream's duplicate window. */
export const checkoutEventId = (checkoutId: string, type: CheckoutEventType) => `evt_${checkoutId}_${type.slice('checkout.'.length)}`;

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
    },
  };
}

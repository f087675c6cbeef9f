/**
 * The workflow's side of the checkout contract: identity, its input and result, the messages the API
 * exchanges with a running saga and the search attributes, with the vocabulary
 * (vocabulary.ts) re-exported. Free of zod on purpose: the workflow sandbox evaluates every module it imports
 * once per checkout (each workflow gets its own module cache), so this file holds constants, types and message
 * definitions only; the zod schemas live in checkout.ts and events.ts, from which it imports types alone.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CheckoutRequest, CheckoutView, Money, PricedItem, ReviewDecision } from './checkout.ts';
import type { NotificationChannel } from './vocabulary.ts';

export * from './vocabulary.ts';

/** Types inferred from the zod schemas; importing them as types adds nothing to the workflow bundle. */
export type { CheckoutView, Money, PricedItem, ReviewDecision } from './checkout.ts';

/** The Temporal task queue the checkout worker polls unless configured otherwise. */
export const DEFAULT_TASK_QUEUE = 'checkout';

/** The registered name of the checkout workflow function; clients start it by name. */
export const CHECKOUT_WORKFLOW_TYPE = 'checkoutWorkflow';

/** The Temporal workflow id of a checkout; one checkout, one workflow, forever. */
export const checkoutWorkflowId = (checkoutId: string) => `checkout-${checkoutId}`;


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
  /** The merchant's own data and reference; absent when it sent none (and in histories from before they were carried). */
  metadata?: Record<string, string>;
  clientReferenceId?: string;
}

/** The merchant's metadata and reference as a checkout reads back: `{}` and null when it sent none. */
export const merchantReferenceOf = (input: Pick<CheckoutWorkflowInput, 'metadata' | 'clientReferenceId'>) => ({
  metadata: input.metadata ?? {},
  clientReferenceId: input.clientReferenceId ?? null,
});

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

/**
 * What crosses the checkout boundary: request and view shapes, workflow identity, and the messages
 * (query, updates) the API exchanges with a running saga. Sandbox-safe: imports only zod,
 * @temporalio/common and @temporalio/workflow, so both the API and the workflow bundle can use it.
 */
import { z } from 'zod';
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** The Temporal task queue the checkout worker polls unless configured otherwise. */
export const DEFAULT_TASK_QUEUE = 'checkout';

/** The registered name of the checkout workflow function; clients start it by name. */
export const CHECKOUT_WORKFLOW_TYPE = 'checkoutWorkflow';

/** The Temporal workflow id of a checkout; one checkout, one workflow, forever. */
export const checkoutWorkflowId = (checkoutId: string) => `checkout-${checkoutId}`;

const printable = /^[\x20-\x7e]+$/;

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case, e.g. "USD"');

export const moneySchema = z.object({
  total: z.number().int().nonnegative(),
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

export const customerSchema = z.strictObject({
  id: z.string().min(1).max(64).regex(printable, 'must be printable ASCII'),
  email: z.email().max(254),
  name: z.string().min(1).max(200).optional(),
});

export const cartItemSchema = z.strictObject({
  sku: z.string().min(1).max(64).regex(printable, 'must be printable ASCII'),
  quantity: z.number().int().min(1).max(1000),
});

export const addressSchema = z.strictObject({
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).optional(),
  city: z.string().min(1).max(100),
  region: z.string().max(100).optional(),
  postalCode: z.string().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. "US"'),
});

/** The body of `POST /v1/checkouts`. Prices are never taken from the client. */
export const checkoutRequestSchema = z.strictObject({
  customer: customerSchema,
  items: z.array(cartItemSchema).min(1).max(100),
  currency: currencySchema,
  payment: z.strictObject({ token: z.string().min(1).max(128).regex(printable, 'must be printable ASCII') }),
  shippingAddress: addressSchema,
});
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

export const checkoutStatusSchema = z.enum([
  'pending',
  'awaiting_review',
  'compensating',
  'completed',
  'declined',
  'cancelled',
  'failed',
]);
export type CheckoutStatus = z.infer<typeof checkoutStatusSchema>;

/** Statuses after which nothing about the checkout changes again. */
export const FINAL_STATUSES: readonly CheckoutStatus[] = ['completed', 'declined', 'cancelled', 'failed'];
export const isFinalStatus = (status: CheckoutStatus) => FINAL_STATUSES.includes(status);

export const failureCodeSchema = z.enum([
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
]);
export type FailureCode = z.infer<typeof failureCodeSchema>;

/** Where the saga is; `timeline` records each step reached with its time. */
export const checkoutStepSchema = z.enum([
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
  'done',
]);
export type CheckoutStep = z.infer<typeof checkoutStepSchema>;

export const fraudDecisionSchema = z.enum(['approve', 'review', 'decline']);
export type FraudDecision = z.infer<typeof fraudDecisionSchema>;

export const gatewayNameSchema = z.enum(['primary', 'secondary']);
export type GatewayName = z.infer<typeof gatewayNameSchema>;

export const pricedItemSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitAmount: z.number().int().nonnegative(),
});
export type PricedItem = z.infer<typeof pricedItemSchema>;

/** The checkout object of the public API: the live state of a saga, or its final state. */
export const checkoutViewSchema = z.object({
  id: z.string(),
  status: checkoutStatusSchema,
  step: checkoutStepSchema,
  amount: moneySchema,
  /** The merchant whose key created the checkout; only that merchant (or an operator) can see it. */
  merchantId: z.string(),
  customerId: z.string(),
  items: z.array(pricedItemSchema),
  fraud: z.object({ score: z.number().nullable(), decision: fraudDecisionSchema, reason: z.string().optional() }).nullable(),
  review: z
    .object({ decision: z.enum(['approve', 'reject', 'timeout']), note: z.string().optional(), at: z.string() })
    .nullable(),
  payment: z
    .object({
      gateway: gatewayNameSchema,
      authorizationId: z.string(),
      captureId: z.string().nullable(),
      voidId: z.string().nullable(),
      refundId: z.string().nullable(),
    })
    .nullable(),
  orderId: z.string().nullable(),
  failure: z.object({ code: failureCodeSchema, message: z.string() }).nullable(),
  compensation: z.object({ pending: z.array(z.string()), attempts: z.number().int(), lastError: z.string().nullable() }).nullable(),
  timeline: z.array(z.object({ step: checkoutStepSchema, at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CheckoutView = z.infer<typeof checkoutViewSchema>;

/** What the API hands the workflow at start: the priced cart, never client prices. */
export interface CheckoutWorkflowInput {
  checkoutId: string;
  merchantId: string;
  customer: { id: string; email: string; name?: string };
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

export type CommandOutcome = { accepted: true; checkout: CheckoutView } | { accepted: false; reason: string; checkout: CheckoutView };

/** Asks the saga to stop and compensate; refused once capture has begun. */
export const cancelCheckoutUpdate = defineUpdate<CommandOutcome, [{ reason?: string }]>('cancelCheckout');

export const reviewDecisionSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  note: z.string().max(1000).optional(),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/** An operator's decision on a checkout held for fraud review; refused when not awaiting review. */
export const reviewCheckoutUpdate = defineUpdate<CommandOutcome, [ReviewDecision & { operator: string }]>('reviewCheckout');

/**
 * Resolves with the checkout once it is final, or after `timeoutMs` with its state then. Lets the API hold a
 * `Prefer: wait=N` request on one long call instead of polling.
 */
export const waitForOutcomeUpdate = defineUpdate<CheckoutView, [{ timeoutMs: number }]>('waitForOutcome');

/** Search attributes kept current for the Temporal Web UI (registered by every server we start). */
export const searchAttributes = {
  status: defineSearchAttributeKey('CheckoutStatus', 'KEYWORD'),
  customerId: defineSearchAttributeKey('CustomerId', 'KEYWORD'),
  total: defineSearchAttributeKey('CheckoutTotal', 'INT'),
  fraudDecision: defineSearchAttributeKey('FraudDecision', 'KEYWORD'),
} as const;

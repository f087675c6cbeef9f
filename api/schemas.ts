/**
 * Response and parameter schemas shared by several routes, named for the OpenAPI document. The contract schemas
 * are rebuilt from their shapes here: zod 4 gives a schema the `.openapi()` method only when it is created after
 * @hono/zod-openapi is loaded, and the contracts module may load first.
 */
import { z } from '@hono/zod-openapi';
import type { OrderRow } from '../src/orders/list.ts';
import { REFUND_REASONS, REFUND_STATUSES } from '../src/contracts/refund.ts';
import { checkoutRequestSchema, checkoutStatusSchema, checkoutViewSchema, reviewDecisionSchema } from '../src/contracts/checkout.ts';

export const CheckoutRequest = z.strictObject(checkoutRequestSchema.shape).openapi('CheckoutRequest', {
  example: {
    customer: { id: 'cus_123', email: 'ada@example.com', name: 'Ada' },
    items: [{ sku: 'SKU-MUG', quantity: 2 }],
    currency: 'USD',
    payment: { token: 'tok_visa' },
    shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
  },
});

export const Checkout = z.object(checkoutViewSchema.shape).openapi('Checkout', {
  description:
    "A merchant's key gets the merchant's view: `failure.message` is a text made for the merchant and its customer, `review` holds the decision and its time only, and `compensation.lastError` and escalation reasons are withheld. An operator's key gets every detail.",
});

export const CheckoutAccepted = z
  .object({
    id: z.string().openapi({ example: 'chk_3k9d0x7w1q2m8r5t4v6b' }),
    status: checkoutStatusSchema,
    links: z.object({
      self: z.string().openapi({ example: 'http://127.0.0.1:3000/v1/checkouts/chk_3k9d0x7w1q2m8r5t4v6b' }),
      workflow: z
        .string()
        .optional()
        .openapi({
          description: "The checkout's page in the Temporal Web UI (workflow id `checkout-<id>`), for an operator's key, when the API knows the UI (TEMPORAL_UI_URL; `npm start` sets it).",
          example: 'http://127.0.0.1:8233/namespaces/default/workflows/checkout-chk_3k9d0x7w1q2m8r5t4v6b',
        }),
    }),
  })
  .openapi('CheckoutAccepted');

export const ReviewDecision = z.strictObject(reviewDecisionSchema.shape).openapi('ReviewDecision');

export const CancelRequest = z.strictObject({ reason: z.string().min(1).max(500).optional() }).openapi('CancelRequest');

/** Ids are validated by shape so nothing malformed reaches Temporal or the database; a bad shape is a 404. */
export const checkoutIdParam = z.object({
  id: z
    .string()
    .regex(/^chk_[0-9a-z]{1,64}$/)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'chk_3k9d0x7w1q2m8r5t4v6b' }),
});

export const orderIdParam = z.object({
  id: z
    .string()
    .regex(/^ord_[0-9a-z]{1,64}$/)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'ord_8f2k1m9x0c3v7b4n6q5w' }),
});

export const Order = z
  .object({
    id: z.string(),
    checkoutId: z.string(),
    status: z.enum(['pending_payment', 'paid', 'cancelled']),
    customerId: z.string(),
    items: z.array(z.object({ sku: z.string(), name: z.string(), quantity: z.number().int(), unitAmount: z.number().int() })),
    amount: z.object({ total: z.number().int(), currency: z.string() }),
    shippingAddress: z.record(z.string(), z.string()),
    captureId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Order');

/** An order as the API answers it. */
export const orderJson = (row: OrderRow): z.infer<typeof Order> => ({
  id: row.id,
  checkoutId: row.checkoutId,
  status: row.status,
  customerId: row.customerId,
  items: row.items,
  amount: { total: row.total, currency: row.currency },
  shippingAddress: row.shippingAddress,
  captureId: row.captureId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** The `Idempotency-Key` header of a route that creates a `made` (a checkout, a refund) for a `purpose`. */
export const idempotencyKeyHeader = (purpose: string, made: string) =>
  z
    .string()
    .regex(/^[\x20-\x7e]{1,255}$/, 'must be 1–255 printable ASCII characters')
    .optional()
    // No example: the docs page would fill it in for every visitor, who would then all replay one request.
    .openapi({ param: { in: 'header' }, description: `A key unique to this ${purpose} (e.g. a UUID); retries with the same key and body return the same ${made} for 24 hours.` });

export const RefundRequest = z
  .strictObject({
    amount: z.number().int().min(1).optional().openapi({ description: 'In minor units; all that is left to refund when absent.', example: 1000 }),
    reason: z.enum(REFUND_REASONS).optional(),
  })
  .openapi('RefundRequest');

export const Refund = z
  .object({
    id: z.string().openapi({ example: 're_4k2m9x0c3v7b8n6q5w1t' }),
    checkoutId: z.string(),
    merchantId: z.string(),
    orderId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    reason: z.enum(REFUND_REASONS).nullable(),
    status: z.enum(REFUND_STATUSES).openapi({
      description: '`pending` until the gateway answers; `failed`: refused, nothing refunded (refundable again); `escalated`: not confirmed within REFUND_DEADLINE, left to an operator (the amount stays held)',
    }),
    gateway: z.string(),
    captureId: z.string(),
    gatewayRefundId: z.string().nullable(),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Refund');

export const refundIdParam = z.object({
  id: z
    .string()
    .regex(/^re_[0-9a-z]{1,64}$/)
    .openapi({ param: { name: 'id', in: 'path' }, example: 're_4k2m9x0c3v7b8n6q5w1t' }),
});

/** The security requirement of every `/v1` route. */
export const bearerSecurity = [{ bearerAuth: [] }];

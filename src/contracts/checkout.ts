/**
 * What crosses the checkout boundary: the request and view schemas (zod), from which the API's validation,
 * its OpenAPI document and the types are built on the vocabulary (re-exported here). Workflow code imports
 * workflow.ts and only types from here, which keeps zod out of the workflow sandbox.
 */
import { z } from 'zod';
import { CHECKOUT_STATUSES, CHECKOUT_STEPS, FAILURE_CODES, FRAUD_DECISIONS, GATEWAY_NAMES, NOTIFICATION_CHANNELS } from './vocabulary.ts';

export * from './vocabulary.ts';

const printable = /^[\x20-\x7e]+$/;

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case, e.g. "USD"');

export const moneySchema = z.object({
  total: z.number().int().nonnegative(),
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

/** The contact fields of a customer, shared by the checkout request and the outcome event. */
const contactFields = {
  id: z.string().min(1).max(64).regex(printable, 'must be printable ASCII'),
  email: z.email().max(254),
  name: z.string().min(1).max(200).optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number: + then 8 to 15 digits, e.g. +15551234567')
    .optional()
    .meta({ example: '+15551234567' }),
  deviceToken: z
    .string()
    .min(8)
    .max(512)
    .regex(/^[A-Za-z0-9:_.-]+$/, 'must be 8–512 letters, digits or : _ . -')
    .optional()
    .describe('a push device token'),
  notify: z
    .array(z.enum(NOTIFICATION_CHANNELS))
    .min(1)
    .max(NOTIFICATION_CHANNELS.length)
    .refine((channels) => new Set(channels).size === channels.length, 'must not list a channel twice')
    .optional()
    .describe('channels in order of preference for the outcome message; the first that works carries it (default ["email"])'),
};

/** A channel needs its contact detail: `sms` a phone number, `push` a device token. */
const channelsHaveContacts = (customer: { phone?: string; deviceToken?: string; notify?: readonly string[] }, ctx: z.RefinementCtx) => {
  if (customer.notify?.includes('sms') && customer.phone === undefined) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is required when notify lists sms' });
  if (customer.notify?.includes('push') && customer.deviceToken === undefined) {
    ctx.addIssue({ code: 'custom', path: ['deviceToken'], message: 'is required when notify lists push' });
  }
};

export const customerSchema = z.strictObject(contactFields).superRefine(channelsHaveContacts);
/** The customer in an outcome event (not strict: newer publishers may add fields). */
export const eventCustomerSchema = z.object(contactFields);
export type EventCustomer = z.infer<typeof eventCustomerSchema>;

/** The most of one product a checkout may buy: per line, and per product once lines of one SKU are merged. */
export const MAX_QUANTITY_PER_PRODUCT = 1000;

export const cartItemSchema = z.strictObject({
  sku: z.string().min(1).max(64).regex(printable, 'must be printable ASCII'),
  quantity: z.number().int().min(1).max(MAX_QUANTITY_PER_PRODUCT),
});

export const addressSchema = z.strictObject({
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).optional(),
  city: z.string().min(1).max(100),
  region: z.string().max(100).optional(),
  postalCode: z.string().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. "US"'),
});

/** The most metadata a checkout carries: keys, and the length of a key and of a value (Stripe's limits, nearly). */
export const METADATA_LIMITS = { keys: 20, keyLength: 40, valueLength: 500 } as const;

/** The merchant's own key-value data on a checkout, as it reads back: returned on every read, carried on its events. */
export const metadataSchema = z.record(z.string(), z.string());

/** Metadata as a request may send it: string keys and values within the limits, named in each message. */
const requestMetadataSchema = z.preprocess(
  (value, ctx) => {
    // JSON.parse keeps "__proto__" as a key, but a record built from it would take it as its prototype and drop it.
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
      ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'a metadata key may not be __proto__', input: value });
    }
    return value;
  },
  z
    .record(z.string(), z.string().max(METADATA_LIMITS.valueLength, `a metadata value must be at most ${METADATA_LIMITS.valueLength} characters`))
    .superRefine((metadata, ctx) => {
      const keys = Object.keys(metadata);
      if (keys.length > METADATA_LIMITS.keys) ctx.addIssue({ code: 'custom', message: `metadata may have at most ${METADATA_LIMITS.keys} keys, not ${keys.length}` });
      for (const key of keys) {
        if (key.length === 0 || key.length > METADATA_LIMITS.keyLength) {
          ctx.addIssue({ code: 'custom', path: [key], message: `a metadata key must have 1 to ${METADATA_LIMITS.keyLength} characters` });
        }
      }
    })
    .describe(`up to ${METADATA_LIMITS.keys} string keys (1 to ${METADATA_LIMITS.keyLength} characters) with string values (at most ${METADATA_LIMITS.valueLength}); returned on every read and carried on the checkout's events`),
);

/** The merchant's own reference for the checkout, e.g. its order number. */
const clientReferenceIdSchema = z.string().min(1).max(200).regex(printable, 'must be printable ASCII');

/** The body of `POST /v1/checkouts`. Prices are never taken from the client. */
export const checkoutRequestSchema = z.strictObject({
  customer: customerSchema,
  items: z.array(cartItemSchema).min(1).max(100),
  currency: currencySchema,
  payment: z.strictObject({ token: z.string().min(1).max(128).regex(printable, 'must be printable ASCII') }),
  shippingAddress: addressSchema,
  metadata: requestMetadataSchema.optional(),
  clientReferenceId: clientReferenceIdSchema.optional().describe('the merchant\'s own reference, e.g. its order number; returned on every read and carried on events'),
});
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

export const checkoutStatusSchema = z.enum(CHECKOUT_STATUSES);

export const failureCodeSchema = z.enum(FAILURE_CODES);

export const checkoutStepSchema = z.enum(CHECKOUT_STEPS);

export const fraudDecisionSchema = z.enum(FRAUD_DECISIONS);

export const gatewayNameSchema = z.enum(GATEWAY_NAMES);

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
    .object({ decision: z.enum(['approve', 'reject', 'timeout']), operator: z.string().optional().describe('who decided; absent for a timeout'), note: z.string().optional(), at: z.string() })
    .nullable(),
  payment: z
    .object({
      gateway: gatewayNameSchema,
      authorizationId: z.string(),
      captureId: z.string().nullable(),
      voidId: z.string().nullable(),
      refundId: z.string().nullable(),
      /** When the authorization's hold lapses, as the gateway said; null when it did not say. */
      expiresAt: z.string().nullable().default(null),
    })
    .nullable(),
  orderId: z.string().nullable(),
  /** What the merchant sent with the checkout (`{}` and null when nothing, and for checkouts from before they were carried). */
  metadata: metadataSchema.default({}),
  clientReferenceId: z.string().nullable().default(null),
  failure: z.object({ code: failureCodeSchema, message: z.string() }).nullable(),
  compensation: z
    .object({
      pending: z.array(z.string()),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      /** Undo steps that could not be done automatically, with why: left to an operator. */
      escalated: z.array(z.object({ step: z.string(), reason: z.string() })).default([]),
    })
    .nullable(),
  timeline: z.array(z.object({ step: checkoutStepSchema, at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CheckoutView = z.infer<typeof checkoutViewSchema>;

export const reviewDecisionSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  note: z.string().max(1000).optional(),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

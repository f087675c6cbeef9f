/**
 * The checkout event contract on NATS JetStream: stream and subject names, the versioned envelope and its
 * zod schemas. Publishers and subscribers share this file and nothing else.
 */
import { z } from 'zod';
import { failureCodeSchema, fraudDecisionSchema, moneySchema, pricedItemSchema, type CheckoutStatus } from './checkout.ts';

/** The stream holding every checkout outcome. */
export const CHECKOUT_EVENTS_STREAM = 'CHECKOUT_EVENTS';
/** The subjects it captures. */
export const CHECKOUT_EVENTS_SUBJECTS = 'checkout.>';
/** The durable consumers; each receives every event. */
export const EMAIL_CONSUMER = 'email';
export const ANALYTICS_CONSUMER = 'analytics';

export const CURRENT_EVENT_VERSION = 1;

export const checkoutEventTypeSchema = z.enum([
  'checkout.completed',
  'checkout.declined',
  'checkout.cancelled',
  'checkout.failed',
]);
export type CheckoutEventType = z.infer<typeof checkoutEventTypeSchema>;

/** The event type of a final checkout status, e.g. `completed` → `checkout.completed`. */
export const outcomeEventType = (status: CheckoutStatus): CheckoutEventType => checkoutEventTypeSchema.parse(`checkout.${status}`);

/** The event id of an outcome; deterministic, so a retried publish is dropped by the stream's duplicate window. */
export const checkoutEventId = (checkoutId: string, type: CheckoutEventType) =>
  `evt_${checkoutId}_${type.slice('checkout.'.length)}`;

export const checkoutEventDataSchema = z.object({
  orderId: z.string().nullable(),
  customer: z.object({ id: z.string(), email: z.email(), name: z.string().optional() }),
  amount: moneySchema,
  items: z.array(pricedItemSchema),
  failure: z.object({ code: failureCodeSchema, message: z.string() }).nullable(),
  fraud: z.object({ score: z.number().nullable(), decision: fraudDecisionSchema }).nullable(),
  /** When the checkout started, so consumers can measure time to outcome. */
  startedAt: z.string(),
});
export type CheckoutEventData = z.infer<typeof checkoutEventDataSchema>;

export const checkoutEventSchema = z.object({
  id: z.string().min(1),
  type: checkoutEventTypeSchema,
  version: z.literal(CURRENT_EVENT_VERSION),
  occurredAt: z.string(),
  checkoutId: z.string().min(1),
  data: checkoutEventDataSchema,
});
export type CheckoutEvent = z.infer<typeof checkoutEventSchema>;

/**
 * The checkout event contract on NATS JetStream: stream and subject names, the versioned envelope and its
 * zod schemas. Publishers and subscribers share this file and nothing else; the event types and ids come
 * from saga.ts, where the workflow (which publishes) can use them without zod.
 */
import { z } from 'zod';
import { CHECKOUT_EVENT_TYPES, CURRENT_EVENT_VERSION } from './saga.ts';
import { eventCustomerSchema, failureCodeSchema, fraudDecisionSchema, moneySchema, pricedItemSchema } from './checkout.ts';

export { CHECKOUT_EVENT_TYPES, CURRENT_EVENT_VERSION, checkoutEventId, outcomeEventType, type CheckoutEventType } from './saga.ts';

/** The stream holding every checkout outcome. */
export const CHECKOUT_EVENTS_STREAM = 'CHECKOUT_EVENTS';
/** The subjects it captures. */
export const CHECKOUT_EVENTS_SUBJECTS = 'checkout.>';
/** The durable consumers; each receives every event. */
export const EMAIL_CONSUMER = 'email';
export const ANALYTICS_CONSUMER = 'analytics';
/** SMS and push, with their fallback to email. */
export const NOTIFICATIONS_CONSUMER = 'notifications';

export const checkoutEventTypeSchema = z.enum(CHECKOUT_EVENT_TYPES);

export const checkoutEventDataSchema = z.object({
  /** The merchant whose checkout it was; absent in events published before it was carried. */
  merchantId: z.string().min(1).optional(),
  orderId: z.string().nullable(),
  customer: eventCustomerSchema,
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

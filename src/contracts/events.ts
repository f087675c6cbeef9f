/**
 * The checkout event contract on NATS JetStream: stream and subject names, the versioned envelope and its
 * zod schemas. Publishers and subscribers share this file and nothing else; the event types and ids come
 * from saga.ts, where the workflow (which publishes) can use them without zod.
 */
import { z } from 'zod';
import { CHECKOUT_EVENT_TYPES, CURRENT_EVENT_VERSION, NOTIFICATION_CHANNELS } from './saga.ts';
import { eventCustomerSchema, failureCodeSchema, fraudDecisionSchema, moneySchema, pricedItemSchema } from './checkout.ts';

export { CHECKOUT_EVENT_TYPES, CURRENT_EVENT_VERSION, checkoutEventId, outcomeEventType, type CheckoutEventType } from './saga.ts';

/** The stream holding every checkout outcome. */
export const CHECKOUT_EVENTS_STREAM = 'CHECKOUT_EVENTS';
/**
 * The subjects it captures. An event is published on `checkout.<outcome>.notify.<first channel>` (e.g.
 * `checkout.completed.notify.sms`; see `subjectFor` in src/nats/provision.ts), so each consumer can ask the
 * server for the events it acts on; `checkout.<outcome>` is the layout before the channel token.
 */
export const CHECKOUT_EVENTS_SUBJECTS = 'checkout.>';

/**
 * How publishers name event subjects: `channel` as above; `type` as `checkout.<outcome>`, the subjects of
 * releases before the channel token, which every consumer still receives (for an upgrade's rollout).
 */
export const EVENT_SUBJECT_LAYOUTS = ['channel', 'type'] as const;
export type EventSubjectLayout = (typeof EVENT_SUBJECT_LAYOUTS)[number];

/**
 * The last subject token of an event: the channel its customer is reached on first (the first of the
 * customer's `notify` list that has its contact detail, email by default), or `none` when no channel can
 * reach them.
 */
export const FIRST_CHANNELS = [...NOTIFICATION_CHANNELS, 'none'] as const;
export type FirstChannel = (typeof FIRST_CHANNELS)[number];

/** The events a durable consumer receives: every one, or those whose customer's first channel is listed. */
export type EventSelection = 'all' | readonly FirstChannel[];

/** Email to customers who are reached by email first (everyone who did not ask for SMS or push first). */
export const EMAIL_CONSUMER = 'email';
export const EMAIL_EVENTS: EventSelection = ['email'];
/** Every event. */
export const ANALYTICS_CONSUMER = 'analytics';
export const ANALYTICS_EVENTS: EventSelection = 'all';
/** SMS and push, with their fallback to email: customers reached first on any channel but email. */
export const NOTIFICATIONS_CONSUMER = 'notifications';
export const NOTIFICATIONS_EVENTS: EventSelection = NOTIFICATION_CHANNELS.filter((channel) => channel !== 'email');

/** The service's durable consumers and what each receives: the ones a stream is provisioned with by default. */
export const SERVICE_CONSUMERS: readonly { name: string; receives: EventSelection }[] = [
  { name: EMAIL_CONSUMER, receives: EMAIL_EVENTS },
  { name: ANALYTICS_CONSUMER, receives: ANALYTICS_EVENTS },
  { name: NOTIFICATIONS_CONSUMER, receives: NOTIFICATIONS_EVENTS },
];

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

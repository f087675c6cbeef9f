/**
 * The checkout event contract on NATS JetStream: stream and subject names, the versioned envelope and its
 * zod schemas. Publishers and subscribers share this file and nothing else; the event types and ids come
 * from vocabulary.ts, and the outcome event is built in workflow.ts, where the workflow can use it without zod.
 *
 * Two shapes of one event. `CheckoutEvent` is the outcome in clear, as the workflow hands it over and as the
 * subscribers that reach the customer read it once they open its contact. `SealedCheckoutEvent` (version 2)
 * is what the stream stores for its retention: ids, codes and amounts in clear, the customer's contact details
 * sealed with the payload keys (src/platform/nats/event-contact.ts), and no failure text (it is written for operators).
 * Analytics never holds a key; email and notifications open the contact.
 */
import { z } from 'zod';
import { CHECKOUT_EVENT_TYPES, CURRENT_EVENT_VERSION, NOTIFICATION_CHANNELS, type NotificationChannel } from './vocabulary.ts';
import { REFUND_REASONS, REFUND_STATUSES } from './refund.ts';
import { eventCustomerSchema, failureCodeSchema, fraudDecisionSchema, metadataSchema, moneySchema, pricedItemSchema } from './checkout.ts';

export {
  CHECKOUT_EVENT_TYPES,
  CURRENT_EVENT_VERSION,
  OUTCOME_EVENT_TYPES,
  REFUND_EVENT_TYPES,
  checkoutEventId,
  isRefundEventType,
  outcomeEventType,
  refundEventId,
  type CheckoutEventType,
  type OutcomeEventType,
  type RefundEventType,
} from './vocabulary.ts';

/** The stream holding every checkout outcome. */
export const CHECKOUT_EVENTS_STREAM = 'CHECKOUT_EVENTS';
/**
 * The subjects it captures. An event is published on `checkout.<outcome>.notify.<first channel>` (e.g.
 * `checkout.completed.notify.sms`; see `subjectFor` in src/platform/nats/provision.ts), so each consumer can ask the
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

/** The channels a message may use, in order: the customer's list (default email), each once. */
export function channelPlan(customer: { notify?: readonly NotificationChannel[]; phone?: string; deviceToken?: string }): NotificationChannel[] {
  const wanted = customer.notify?.length ? customer.notify : ['email' as const];
  // The API refuses a channel without its contact detail; an event from elsewhere could still lack one.
  const reachable = (channel: NotificationChannel) => (channel === 'sms' ? !!customer.phone : channel === 'push' ? !!customer.deviceToken : true);
  return [...new Set(wanted)].filter((c) => NOTIFICATION_CHANNELS.includes(c) && reachable(c));
}

/** The events a durable consumer receives: every one, or those whose customer's first channel is listed. */
export type EventSelection = 'all' | readonly FirstChannel[];


export const checkoutEventTypeSchema = z.enum(CHECKOUT_EVENT_TYPES);

/** What every shape of an event carries in clear. */
const eventFacts = {
  /** The merchant whose checkout it was; absent in events published before it was carried. */
  merchantId: z.string().min(1).optional(),
  orderId: z.string().nullable(),
  amount: moneySchema,
  items: z.array(pricedItemSchema),
  fraud: z.object({ score: z.number().nullable(), decision: fraudDecisionSchema }).nullable(),
  /** When the checkout started, so consumers can measure time to outcome. */
  startedAt: z.string(),
  /** The merchant's own data and reference, as sent with the checkout (`{}` and null in events from before they were carried). */
  metadata: metadataSchema.default({}),
  clientReferenceId: z.string().nullable().default(null),
  /** On refund events only: the refund, its failure by code. */
  refund: z
    .object({
      id: z.string().min(1),
      amount: z.number().int().positive(),
      currency: z.string(),
      status: z.enum(REFUND_STATUSES),
      reason: z.enum(REFUND_REASONS).nullable(),
      failureCode: z.string().nullable(),
    })
    .optional(),
};

const envelope = {
  id: z.string().min(1),
  type: checkoutEventTypeSchema,
  occurredAt: z.string(),
  checkoutId: z.string().min(1),
};

export const checkoutEventDataSchema = z.object({
  ...eventFacts,
  customer: eventCustomerSchema,
  /** The failure's text is for operators: it stays in the workflow's history and never reaches the stream. */
  failure: z.object({ code: failureCodeSchema, message: z.string().optional() }).nullable(),
});
export type CheckoutEventData = z.infer<typeof checkoutEventDataSchema>;

/** The outcome in clear; on the stream only in events published before contacts were sealed (version 1). */
export const checkoutEventSchema = z.object({ ...envelope, version: z.literal(CURRENT_EVENT_VERSION), data: checkoutEventDataSchema });
export type CheckoutEvent = z.infer<typeof checkoutEventSchema>;

/**
 * An outcome's data split in two: what the stream may carry in clear (the customer by id and channels, the
 * failure by code) and the customer's contact. Sealing an event and reading a version-1 one both split so.
 */
export function separateContact(data: CheckoutEventData) {
  const { customer, failure, ...facts } = data;
  const { id, notify, ...contact } = customer;
  return { inClear: { ...facts, customer: notify ? { id, notify } : { id }, failure: failure ? { code: failure.code } : null }, contact };
}

/** The version of the envelope on the stream: the contact sealed. */
export const SEALED_EVENT_VERSION = 2;

/** How to reach the customer: sealed on the stream, in clear only in the subscribers that reach them. */
export const eventContactSchema = eventCustomerSchema.pick({ email: true, name: true, phone: true, deviceToken: true });
export type EventContact = z.infer<typeof eventContactSchema>;

/** AES-256-GCM under one of the payload keys, bound to the event id: base64 of IV, ciphertext and tag. */
export const sealedContactSchema = z.object({ keyId: z.string().min(1), data: z.base64() });
export type SealedContact = z.infer<typeof sealedContactSchema>;

export const sealedCheckoutEventSchema = z.object({
  ...envelope,
  version: z.literal(SEALED_EVENT_VERSION),
  data: z.object({
    ...eventFacts,
    customer: eventCustomerSchema.pick({ id: true, notify: true }),
    contact: z.object({ sealed: sealedContactSchema }),
    failure: z.object({ code: failureCodeSchema }).nullable(),
  }),
});
export type SealedCheckoutEvent = z.infer<typeof sealedCheckoutEventSchema>;

/**
 * An event as a consumer receives it: the sealed shape, or a version-1 event read into it with its contact
 * still in clear — which only a subscriber told to accept such events (EVENT_CONTACTS_IN_CLEAR=accept) acts on.
 */
export type ReceivedCheckoutEvent = Omit<SealedCheckoutEvent, 'version' | 'data'> & {
  version: typeof CURRENT_EVENT_VERSION | typeof SEALED_EVENT_VERSION;
  data: Omit<SealedCheckoutEvent['data'], 'contact'> & { contact: { sealed: SealedContact } | { clear: EventContact } };
};

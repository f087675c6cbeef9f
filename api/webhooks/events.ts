/**
 * The OpenAPI document's `webhooks`: one entry per event type, the body an endpoint receives (built by
 * src/webhooks/payload.ts, whose output a test parses with this schema) and the Standard Webhooks headers.
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { CHECKOUT_EVENT_TYPES, isRefundEventType, sealedCheckoutEventSchema } from '../../src/contracts/events.ts';
import type { AppEnv } from '../context.ts';

const { contact: _contact, customer: _customer, fraud: _fraud, ...facts } = sealedCheckoutEventSchema.shape.data.shape;

export const WebhookEventData = z
  .object({
    eventId: z.string().openapi({ description: 'the event id: the same for every endpoint and attempt' }),
    checkoutId: z.string(),
    customerId: z.string(),
    ...facts,
  })
  .openapi('WebhookEventData', { description: "The event's facts in clear: no customer contact details, no fraud score." });

const webhookEvent = (type: (typeof CHECKOUT_EVENT_TYPES)[number]) =>
  z.object({
    type: z.literal(type),
    timestamp: z.string().openapi({ description: 'when it happened (ISO 8601)' }),
    data: WebhookEventData,
  });

/** Any event body an endpoint may receive. */
export const WebhookEvent = z.object({ type: z.enum(CHECKOUT_EVENT_TYPES), timestamp: z.string(), data: WebhookEventData });

const signatureHeaders = z.object({
  'webhook-id': z.string().openapi({ param: { in: 'header' }, description: 'the delivery id: the same on every attempt and redelivery — deduplicate by it' }),
  'webhook-timestamp': z.string().openapi({ param: { in: 'header' }, description: 'seconds since the epoch of this attempt; refuse one far from your clock' }),
  'webhook-signature': z.string().openapi({
    param: { in: 'header' },
    description: 'space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs (two while a rotation overlaps); verify with a Standard Webhooks library',
  }),
});

const SUMMARIES: Record<(typeof CHECKOUT_EVENT_TYPES)[number], string> = {
  'checkout.completed': 'A checkout completed: paid, its order created',
  'checkout.declined': 'A checkout was declined (card, fraud, stock, review)',
  'checkout.cancelled': 'A checkout was cancelled and undone',
  'checkout.failed': 'A checkout failed and was undone',
  'checkout.escalated': 'A checkout ended with part of its undo left to an operator',
  'checkout.refunded': 'A refund of a completed checkout went through',
  'checkout.refund_failed': 'A refund did not go through (refused, or left to an operator)',
};

export function registerWebhookEvents(app: OpenAPIHono<AppEnv>): void {
  for (const type of CHECKOUT_EVENT_TYPES) {
    app.openAPIRegistry.registerWebhook({
      method: 'post',
      path: type,
      tags: ['Webhooks'],
      summary: SUMMARIES[type],
      description: `Sent to every enabled endpoint whose \`enabledEvents\` list \`${type}\` or \`*\`. ${isRefundEventType(type) ? '`data.refund` holds the refund.' : '`data.refund` is absent.'} Answer 2xx within WEBHOOK_TIMEOUT; anything else is retried with backoff for about a day.`,
      request: { headers: signatureHeaders, body: { content: { 'application/json': { schema: webhookEvent(type) } } } },
      responses: { 200: { description: 'Received (any 2xx)' } },
    });
  }
}

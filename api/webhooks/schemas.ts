/** The webhook endpoints' and deliveries' schemas, named for the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import { ENDPOINT_EVENT_TYPES, type DeliveryRow } from '../../src/webhooks/index.ts';

export const WebhookEndpointRequest = z
  .strictObject({
    url: z.string().max(2048).openapi({ description: 'https; a private, loopback or reserved address is refused (in the local stack allowed)', example: 'https://shop.example.com/webhooks/checkout' }),
    enabledEvents: z
      .array(z.enum(ENDPOINT_EVENT_TYPES))
      .min(1)
      .openapi({ description: 'the event types to deliver; `*` for every one, those added later too', example: ['checkout.completed', 'checkout.refunded'] }),
    description: z.string().max(500).optional(),
  })
  .openapi('WebhookEndpointRequest');

export const WebhookEndpoint = z
  .object({
    id: z.string().openapi({ example: 'we_5m2k9x0c3v7b8n6q5w1t' }),
    merchantId: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    enabledEvents: z.array(z.string()),
    status: z.enum(['enabled', 'disabled']).openapi({ description: '`disabled` after `WEBHOOK_DISABLE_AFTER` failed attempts in a row; enable it again once it answers' }),
    disabledReason: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookEndpoint');

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().openapi({ description: 'the signing secret (`whsec_…`), shown here once', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
}).openapi('WebhookEndpointWithSecret');

export const RotateSecretRequest = z
  .strictObject({
    overlapHours: z.number().int().min(0).max(168).optional().openapi({ description: 'how long the old secret keeps signing beside the new one (24 by default)' }),
  })
  .openapi('RotateSecretRequest');

export const WebhookDelivery = z
  .object({
    id: z.string().openapi({ description: 'the `webhook-id` of every attempt', example: 'msg_2k4m6p8r0t2v4x6z8b0d' }),
    endpointId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    checkoutId: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable().openapi({ description: 'when pending: the next attempt' }),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

export const deliveryJson = (row: DeliveryRow): z.infer<typeof WebhookDelivery> => ({
  id: row.id,
  endpointId: row.endpointId,
  eventId: row.eventId,
  eventType: row.eventType,
  checkoutId: row.checkoutId,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
  lastStatusCode: row.lastStatusCode,
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  deliveredAt: row.deliveredAt?.toISOString() ?? null,
});

export const endpointIdParam = z.object({
  id: z
    .string()
    .regex(/^we_[0-9a-z]{1,64}$/)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'we_5m2k9x0c3v7b8n6q5w1t' }),
});

export const deliveryParams = endpointIdParam.extend({
  deliveryId: z
    .string()
    .regex(/^msg_[0-9a-z]{1,64}$/)
    .openapi({ param: { name: 'deliveryId', in: 'path' }, example: 'msg_2k4m6p8r0t2v4x6z8b0d' }),
});

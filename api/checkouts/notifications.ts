/** `GET /v1/checkouts/{id}/notifications`: what reached the customer about this checkout, on which channel and provider. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { NOTIFICATION_CHANNELS } from '../../src/contracts/checkout.ts';
import { notificationsOfCheckout } from '../../src/notifications/deliveries.ts';
import { problemResponses } from '../errors.ts';
import { bearerSecurity, checkoutIdParam } from '../schemas.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { visibleCheckout } from '../visibility.ts';

const Notification = z
  .object({
    eventId: z.string().describe('the outcome event the message is about'),
    channel: z.enum(NOTIFICATION_CHANNELS).describe('the channel it went (or is going) out on'),
    provider: z.enum(['primary', 'secondary']).nullable().describe('null for email, which has one relay'),
    status: z.enum(['sending', 'delivered', 'undeliverable']),
    attempts: z.number().int().describe('every attempt, on every channel and provider'),
    fallbacks: z.array(z.object({ from: z.enum(NOTIFICATION_CHANNELS), to: z.enum(NOTIFICATION_CHANNELS), reason: z.enum(['rejected', 'deadline']), at: z.string() })),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('Notification');

const Notifications = z.object({ checkoutId: z.string(), notifications: z.array(Notification) }).openapi('Notifications');

export const getNotificationsRoute = createRoute({
  method: 'get',
  path: '/v1/checkouts/{id}/notifications',
  operationId: 'getCheckoutNotifications',
  tags: ['Checkouts'],
  summary: "Read what reached the customer",
  description: "The checkout's outcome messages: email receipts and SMS or push notifications, with provider, attempts and any fallback to another channel.",
  security: bearerSecurity,
  request: { params: checkoutIdParam },
  responses: {
    200: { description: 'The messages, oldest first', content: { 'application/json': { schema: Notifications } } },
    ...problemResponses('unauthorized', 'not_found', 'rate_limited', 'internal_error', 'service_unavailable'),
  },
});

export function registerGetNotifications(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(getNotificationsRoute, async (c) => {
    const { id } = c.req.valid('param');
    c.set('checkoutId', id);
    await visibleCheckout(deps.checkouts, c.get('principal'), id);
    c.header('cache-control', 'no-store');
    return c.json({ checkoutId: id, notifications: await notificationsOfCheckout(deps.db, id) }, 200);
  });
}

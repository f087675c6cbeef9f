/** An endpoint's delivery log, and a manual redelivery (same `webhook-id`, same body, a fresh retry schedule). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listDeliveries, readDelivery, redeliver } from '../../src/webhooks/index.ts';
import { ApiError, problemResponses } from '../errors.ts';
import { listOf, listQuery, pageRequest, readPage, refuseUnknownParameters } from '../pagination.ts';
import { bearerSecurity } from '../schemas.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { visibleEndpoint } from './endpoints.ts';
import { deliveryJson, deliveryParams, endpointIdParam, WebhookDelivery } from './schemas.ts';

const { limit, starting_after, ending_before } = listQuery;
const query = z.object({
  limit,
  starting_after,
  ending_before,
  status: z.enum(['pending', 'delivered', 'failed']).optional().openapi({ param: { name: 'status', in: 'query' } }),
});

const listDeliveriesRoute = createRoute({
  method: 'get',
  path: '/v1/webhook_endpoints/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['Webhooks'],
  summary: "List an endpoint's deliveries",
  security: bearerSecurity,
  request: { params: endpointIdParam, query },
  responses: {
    200: { description: 'A page of deliveries, newest first', content: { 'application/json': { schema: listOf(WebhookDelivery, 'WebhookDeliveryList') } } },
    ...problemResponses('invalid_request', 'unauthorized', 'not_found', 'rate_limited', 'internal_error'),
  },
});

const redeliverRoute = createRoute({
  method: 'post',
  path: '/v1/webhook_endpoints/{id}/deliveries/{deliveryId}/redeliver',
  operationId: 'redeliverWebhook',
  tags: ['Webhooks'],
  summary: 'Send a delivery again',
  description: 'Now, with the same `webhook-id` and body (a receiver that already has it ignores it), and a fresh retry schedule.',
  security: bearerSecurity,
  request: { params: deliveryParams },
  responses: {
    202: { description: 'The delivery, pending again', content: { 'application/json': { schema: WebhookDelivery } } },
    ...problemResponses('unauthorized', 'not_found', 'rate_limited', 'internal_error'),
  },
});

export function registerWebhookDeliveries(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(listDeliveriesRoute, async (c) => {
    refuseUnknownParameters(c.req.query(), Object.keys(query.shape));
    const endpoint = await visibleEndpoint(deps, c.get('principal'), c.req.valid('param').id);
    const params = c.req.valid('query');
    return c.json(await readPage(pageRequest(params), 'delivery', (page) => listDeliveries(deps.db, endpoint.id, params.status, page), deliveryJson), 200);
  });

  app.openapi(redeliverRoute, async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    const endpoint = await visibleEndpoint(deps, c.get('principal'), id);
    const delivery = await readDelivery(deps.db, deliveryId);
    if (!delivery || delivery.endpointId !== endpoint.id) throw new ApiError('not_found', `No delivery ${deliveryId} to this endpoint.`);
    return c.json(deliveryJson((await redeliver(deps.db, deliveryId))!), 202);
  });
}

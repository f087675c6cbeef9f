/** `GET /v1/orders`: the caller's orders, newest first, by page. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listOrders } from '../../src/orders/list.ts';
import { problemResponses } from '../errors.ts';
import { createdRange, listOf, listQuery, pageRequest, readPage, refuseUnknownParameters } from '../pagination.ts';
import { bearerSecurity, Order, orderJson } from '../schemas.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { listedMerchantOf } from '../visibility.ts';

const query = z.object({
  ...listQuery,
  status: z.enum(['pending_payment', 'paid', 'cancelled']).optional().openapi({ param: { name: 'status', in: 'query' } }),
  customer_id: z.string().min(1).optional().openapi({ param: { name: 'customer_id', in: 'query' } }),
  checkout_id: z.string().min(1).optional().openapi({ param: { name: 'checkout_id', in: 'query' } }),
});

export const listOrdersRoute = createRoute({
  method: 'get',
  path: '/v1/orders',
  operationId: 'listOrders',
  tags: ['Orders'],
  summary: 'List orders',
  description: "Newest first. A merchant key lists its own orders; an operator key every merchant's.",
  security: bearerSecurity,
  request: { query },
  responses: {
    200: { description: 'A page of orders', content: { 'application/json': { schema: listOf(Order, 'OrderList') } } },
    ...problemResponses('invalid_request', 'unauthorized', 'rate_limited', 'internal_error'),
  },
});

export function registerListOrders(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(listOrdersRoute, async (c) => {
    refuseUnknownParameters(c.req.query(), Object.keys(query.shape));
    const params = c.req.valid('query');
    const principal = c.get('principal');
    const filters = { merchantId: listedMerchantOf(principal), status: params.status, customerId: params.customer_id, checkoutId: params.checkout_id, created: createdRange(params) };
    return c.json(await readPage(pageRequest(params), 'order', (page) => listOrders(deps.db, filters, page), orderJson), 200);
  });
}

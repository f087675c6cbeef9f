/** `GET /v1/orders/{id}`: the order a completed checkout created, read from the database. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { orders } from '../../src/platform/db/schema/index.ts';
import { ApiError, problemResponses } from '../errors.ts';
import { bearerSecurity, Order, orderIdParam, orderJson } from '../schemas.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { visibleTo } from '../visibility.ts';

export const getOrderRoute = createRoute({
  method: 'get',
  path: '/v1/orders/{id}',
  operationId: 'getOrder',
  tags: ['Orders'],
  summary: 'Read an order',
  security: bearerSecurity,
  request: { params: orderIdParam },
  responses: {
    200: { description: 'The order', content: { 'application/json': { schema: Order } } },
    ...problemResponses('unauthorized', 'forbidden', 'not_found', 'rate_limited', 'internal_error'),
  },
});

export function registerGetOrder(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(getOrderRoute, async (c) => {
    const { id } = c.req.valid('param');
    const [row] = await deps.db.select().from(orders).where(eq(orders.id, id));
    if (!row || !visibleTo(c.get('principal'), row.merchantId)) throw new ApiError('not_found', `No order ${id}.`);
    c.set('checkoutId', row.checkoutId);
    return c.json(orderJson(row), 200);
  });
}

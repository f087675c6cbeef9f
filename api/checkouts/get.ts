/** `GET /v1/checkouts/{id}`: the live state of a running saga, or the final state of a finished one. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { problemResponses } from '../errors.ts';
import { bearerSecurity, Checkout, checkoutIdParam } from '../schemas.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { viewFor, visibleCheckout } from '../visibility.ts';

export const getCheckoutRoute = createRoute({
  method: 'get',
  path: '/v1/checkouts/{id}',
  operationId: 'getCheckout',
  tags: ['Checkouts'],
  summary: 'Read a checkout',
  security: bearerSecurity,
  request: { params: checkoutIdParam },
  responses: {
    200: { description: 'The checkout', content: { 'application/json': { schema: Checkout } } },
    ...problemResponses('unauthorized', 'forbidden', 'not_found', 'rate_limited', 'internal_error', 'service_unavailable'),
  },
});

export function registerGetCheckout(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(getCheckoutRoute, async (c) => {
    const { id } = c.req.valid('param');
    c.set('checkoutId', id);
    const principal = c.get('principal');
    return c.json(viewFor(principal, await visibleCheckout(deps.checkouts, principal, id)), 200);
  });
}

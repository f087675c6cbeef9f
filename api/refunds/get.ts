/** `GET /v1/refunds/{id}`: one refund, as recorded. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { readRefund } from '../../src/refunds/index.ts';
import { ApiError, problemResponses } from '../errors.ts';
import { bearerSecurity, Refund, refundIdParam } from '../schemas.ts';
import { visibleTo } from '../visibility.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { refundFor } from './view.ts';

export const getRefundRoute = createRoute({
  method: 'get',
  path: '/v1/refunds/{id}',
  operationId: 'getRefund',
  tags: ['Refunds'],
  summary: 'Read a refund',
  security: bearerSecurity,
  request: { params: refundIdParam },
  responses: {
    200: { description: 'The refund', content: { 'application/json': { schema: Refund } } },
    ...problemResponses('unauthorized', 'not_found', 'rate_limited', 'internal_error'),
  },
});

export function registerGetRefund(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(getRefundRoute, async (c) => {
    const { id } = c.req.valid('param');
    const refund = await readRefund(deps.db, id);
    const principal = c.get('principal');
    if (!refund || !visibleTo(principal, refund.merchantId)) throw new ApiError('not_found', `No refund ${id}.`);
    c.set('checkoutId', refund.checkoutId);
    return c.json(refundFor(principal, refund), 200);
  });
}

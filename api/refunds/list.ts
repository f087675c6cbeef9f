/** `GET /v1/checkouts/{id}/refunds` and `GET /v1/refunds`: refunds newest first, by page. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { REFUND_STATUSES, type RefundView } from '../../src/contracts/refund.ts';
import { listRefunds } from '../../src/refunds/index.ts';
import { problemResponses } from '../errors.ts';
import { listOf, listQuery, pageRequest, readPage, refuseUnknownParameters } from '../pagination.ts';
import { bearerSecurity, checkoutIdParam, Refund } from '../schemas.ts';
import { listedMerchantOf, visibleCheckout } from '../visibility.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { refundFor } from './view.ts';

const { limit, starting_after, ending_before } = listQuery;
const checkoutQuery = z.object({ limit, starting_after, ending_before });
const query = z.object({
  limit,
  starting_after,
  ending_before,
  checkout_id: z.string().min(1).optional().openapi({ param: { name: 'checkout_id', in: 'query' } }),
  status: z.enum(REFUND_STATUSES).optional().openapi({ param: { name: 'status', in: 'query' }, description: '`escalated` lists the refunds an operator must settle.' }),
});
const RefundList = listOf(Refund, 'RefundList');

export const listCheckoutRefundsRoute = createRoute({
  method: 'get',
  path: '/v1/checkouts/{id}/refunds',
  operationId: 'listCheckoutRefunds',
  tags: ['Refunds'],
  summary: "List a checkout's refunds",
  security: bearerSecurity,
  request: { params: checkoutIdParam, query: checkoutQuery },
  responses: {
    200: { description: "A page of the checkout's refunds", content: { 'application/json': { schema: RefundList } } },
    ...problemResponses('invalid_request', 'unauthorized', 'not_found', 'rate_limited', 'internal_error', 'service_unavailable'),
  },
});

export const listRefundsRoute = createRoute({
  method: 'get',
  path: '/v1/refunds',
  operationId: 'listRefunds',
  tags: ['Refunds'],
  summary: 'List refunds',
  description: "Newest first. A merchant key lists its own refunds; an operator key every merchant's.",
  security: bearerSecurity,
  request: { query },
  responses: {
    200: { description: 'A page of refunds', content: { 'application/json': { schema: RefundList } } },
    ...problemResponses('invalid_request', 'unauthorized', 'rate_limited', 'internal_error'),
  },
});

export function registerListRefunds(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(listCheckoutRefundsRoute, async (c) => {
    const { id } = c.req.valid('param');
    refuseUnknownParameters(c.req.query(), Object.keys(checkoutQuery.shape));
    const principal = c.get('principal');
    c.set('checkoutId', id);
    await visibleCheckout(deps.checkouts, principal, id);
    const show = (refund: RefundView) => refundFor(principal, refund);
    return c.json(await readPage(pageRequest(c.req.valid('query')), 'refund', (page) => listRefunds(deps.db, { checkoutId: id }, page), show), 200);
  });

  app.openapi(listRefundsRoute, async (c) => {
    refuseUnknownParameters(c.req.query(), Object.keys(query.shape));
    const params = c.req.valid('query');
    const principal = c.get('principal');
    const merchantId = listedMerchantOf(principal);
    const filters = { merchantId, checkoutId: params.checkout_id, status: params.status };
    return c.json(await readPage(pageRequest(params), 'refund', (page) => listRefunds(deps.db, filters, page), (refund) => refundFor(principal, refund)), 200);
  });
}

/** `GET /v1/checkouts`: the caller's checkouts, newest first, by page, from the recorded states. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CHECKOUT_STATUSES } from '../../src/contracts/vocabulary.ts';
import { listCheckouts } from '../../src/checkouts/list.ts';
import { problemResponses } from '../errors.ts';
import { createdRange, listOf, listQuery, pageRequest, readPage, refuseUnknownParameters } from '../pagination.ts';
import { bearerSecurity, Checkout } from '../schemas.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { listedMerchantOf, viewFor } from '../visibility.ts';

const query = z.object({
  ...listQuery,
  status: z.enum(CHECKOUT_STATUSES).optional().openapi({ param: { name: 'status', in: 'query' } }),
  customer_id: z.string().min(1).optional().openapi({ param: { name: 'customer_id', in: 'query' } }),
  client_reference_id: z.string().min(1).optional().openapi({ param: { name: 'client_reference_id', in: 'query' } }),
});

/** `metadata[key]=value`: checkouts whose metadata holds every pair given. */
const METADATA_PARAMETER = /^metadata\[([^\]]{1,40})\]$/;

export const listCheckoutsRoute = createRoute({
  method: 'get',
  path: '/v1/checkouts',
  operationId: 'listCheckouts',
  tags: ['Checkouts'],
  summary: 'List checkouts',
  description:
    'Newest first. A merchant key lists its own checkouts; an operator key every merchant\'s. Filter by `metadata[key]=value` too (every pair given must match). ' +
    "A running checkout is listed as the saga last recorded it (started, held for review); `GET /v1/checkouts/{id}` answers with its live state.",
  security: bearerSecurity,
  request: { query },
  responses: {
    200: { description: 'A page of checkouts', content: { 'application/json': { schema: listOf(Checkout, 'CheckoutList') } } },
    ...problemResponses('invalid_request', 'unauthorized', 'rate_limited', 'internal_error'),
  },
});

export function registerListCheckouts(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(listCheckoutsRoute, async (c) => {
    const given = c.req.query();
    refuseUnknownParameters(given, Object.keys(query.shape), METADATA_PARAMETER);
    const params = c.req.valid('query');
    const metadata = Object.fromEntries(
      Object.entries(given).flatMap(([name, value]) => {
        const key = METADATA_PARAMETER.exec(name)?.[1];
        return key === undefined ? [] : [[key, value]];
      }),
    );
    const principal = c.get('principal');
    const filters = {
      merchantId: listedMerchantOf(principal),
      status: params.status,
      customerId: params.customer_id,
      clientReferenceId: params.client_reference_id,
      created: createdRange(params),
      metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    };
    const answer = await readPage(pageRequest(params), 'checkout', (page) => listCheckouts(deps.db, filters, page), (view) => viewFor(principal, view));
    return c.json(answer, 200);
  });
}

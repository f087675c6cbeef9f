/**
 * `/v1/webhook_endpoints`: a merchant registers the URLs its events are delivered to (signed, Standard
 * Webhooks), reads and deletes them, rotates a secret with an overlap, and enables one that was disabled.
 * Operators read every merchant's, and may delete or enable them; only a merchant registers.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createEndpoint, deleteEndpoint, enableEndpoint, endpointUrlProblem, endpointViewOf, listEndpoints, readEndpoint, rotateSecret } from '../../src/webhooks/index.ts';
import { ApiError, problemResponses } from '../errors.ts';
import { requireRole } from '../middleware/auth.ts';
import { limitBody, requireJson } from '../middleware/json-body.ts';
import { listOf, listQuery, pageRequest, readPage, refuseUnknownParameters } from '../pagination.ts';
import type { PageRequest } from '../../src/platform/db/keyset-page.ts';
import { bearerSecurity } from '../schemas.ts';
import { listedMerchantOf, visibleTo } from '../visibility.ts';
import type { AppEnv, Principal, RouteDeps } from '../context.ts';
import { endpointIdParam, RotateSecretRequest, WebhookEndpoint, WebhookEndpointRequest, WebhookEndpointWithSecret } from './schemas.ts';

const tags = ['Webhooks'];
const { limit, starting_after, ending_before } = listQuery;
const pageQuery = z.object({ limit, starting_after, ending_before });
const bodyMiddleware = [limitBody(), requireJson()] as const;

const createEndpointRoute = createRoute({
  method: 'post',
  path: '/v1/webhook_endpoints',
  operationId: 'createWebhookEndpoint',
  tags,
  summary: 'Register a webhook endpoint',
  description: 'Every event of the merchant whose type the endpoint asks for is delivered to it, signed with its secret — returned here, once.',
  security: bearerSecurity,
  middleware: [requireRole('merchant'), ...bodyMiddleware] as const,
  request: { body: { required: true, content: { 'application/json': { schema: WebhookEndpointRequest } } } },
  responses: {
    201: { description: 'The endpoint, with its secret', content: { 'application/json': { schema: WebhookEndpointWithSecret } } },
    ...problemResponses('malformed_json', 'invalid_request', 'unauthorized', 'forbidden', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'internal_error'),
  },
});

const listEndpointsRoute = createRoute({
  method: 'get',
  path: '/v1/webhook_endpoints',
  operationId: 'listWebhookEndpoints',
  tags,
  summary: 'List webhook endpoints',
  security: bearerSecurity,
  request: { query: pageQuery },
  responses: {
    200: { description: 'A page of endpoints, newest first', content: { 'application/json': { schema: listOf(WebhookEndpoint, 'WebhookEndpointList') } } },
    ...problemResponses('invalid_request', 'unauthorized', 'rate_limited', 'internal_error'),
  },
});

const getEndpointRoute = createRoute({
  method: 'get',
  path: '/v1/webhook_endpoints/{id}',
  operationId: 'getWebhookEndpoint',
  tags,
  summary: 'Read a webhook endpoint',
  security: bearerSecurity,
  request: { params: endpointIdParam },
  responses: {
    200: { description: 'The endpoint', content: { 'application/json': { schema: WebhookEndpoint } } },
    ...problemResponses('unauthorized', 'not_found', 'rate_limited', 'internal_error'),
  },
});

const deleteEndpointRoute = createRoute({
  method: 'delete',
  path: '/v1/webhook_endpoints/{id}',
  operationId: 'deleteWebhookEndpoint',
  tags,
  summary: 'Delete a webhook endpoint',
  description: 'Its pending deliveries are not sent, and its delivery log goes with it.',
  security: bearerSecurity,
  request: { params: endpointIdParam },
  responses: {
    200: { description: 'Deleted', content: { 'application/json': { schema: z.object({ id: z.string(), deleted: z.literal(true) }).openapi('DeletedWebhookEndpoint') } } },
    ...problemResponses('unauthorized', 'not_found', 'rate_limited', 'internal_error'),
  },
});

const rotateSecretRoute = createRoute({
  method: 'post',
  path: '/v1/webhook_endpoints/{id}/rotate_secret',
  operationId: 'rotateWebhookSecret',
  tags,
  summary: "Rotate an endpoint's signing secret",
  description: 'Returns the new secret, once. The old one keeps signing beside it (two `v1,` signatures) for `overlapHours`, so the receiver can switch without missing an event.',
  security: bearerSecurity,
  middleware: [requireRole('merchant'), ...bodyMiddleware] as const,
  request: { params: endpointIdParam, body: { required: true, content: { 'application/json': { schema: RotateSecretRequest } } } },
  responses: {
    200: { description: 'The endpoint, with its new secret', content: { 'application/json': { schema: WebhookEndpointWithSecret } } },
    ...problemResponses('malformed_json', 'invalid_request', 'unauthorized', 'forbidden', 'not_found', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'internal_error'),
  },
});

const enableEndpointRoute = createRoute({
  method: 'post',
  path: '/v1/webhook_endpoints/{id}/enable',
  operationId: 'enableWebhookEndpoint',
  tags,
  summary: 'Enable a disabled webhook endpoint',
  description: 'Deliveries that failed while it was disabled can be sent again with redeliver.',
  security: bearerSecurity,
  request: { params: endpointIdParam },
  responses: {
    200: { description: 'The endpoint', content: { 'application/json': { schema: WebhookEndpoint } } },
    ...problemResponses('unauthorized', 'not_found', 'rate_limited', 'internal_error'),
  },
});

/** The endpoint `id` when `principal` may see it; 404 otherwise, as for an unknown id. */
export async function visibleEndpoint(deps: RouteDeps, principal: Principal, id: string) {
  const row = await readEndpoint(deps.db, id);
  if (!row || !visibleTo(principal, row.merchantId)) throw new ApiError('not_found', `No webhook endpoint ${id}.`);
  return row;
}

export function registerWebhookEndpoints(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(createEndpointRoute, async (c) => {
    const body = c.req.valid('json');
    const problem = endpointUrlProblem(body.url, { allowPrivate: deps.webhooks.allowPrivateUrls });
    if (problem) throw new ApiError('invalid_request', `The endpoint URL ${problem}.`, { errors: [{ path: 'url', message: problem }] });
    const { endpoint, secret } = await createEndpoint(deps.db, deps.webhooks.keyring, { merchantId: c.get('principal').id, url: body.url, description: body.description ?? null, enabledEvents: body.enabledEvents });
    c.header('location', `/v1/webhook_endpoints/${endpoint.id}`);
    return c.json({ ...endpoint, secret }, 201);
  });

  app.openapi(listEndpointsRoute, async (c) => {
    refuseUnknownParameters(c.req.query(), Object.keys(pageQuery.shape));
    const principal = c.get('principal');
    const read = (page: PageRequest) => listEndpoints(deps.db, { merchantId: listedMerchantOf(principal) }, page);
    return c.json(await readPage(pageRequest(c.req.valid('query')), 'webhook endpoint', read, (endpoint) => endpoint), 200);
  });

  app.openapi(getEndpointRoute, async (c) => c.json(endpointViewOf(await visibleEndpoint(deps, c.get('principal'), c.req.valid('param').id)), 200));

  app.openapi(deleteEndpointRoute, async (c) => {
    const { id } = await visibleEndpoint(deps, c.get('principal'), c.req.valid('param').id);
    await deleteEndpoint(deps.db, id);
    return c.json({ id, deleted: true as const }, 200);
  });

  app.openapi(rotateSecretRoute, async (c) => {
    const { id } = await visibleEndpoint(deps, c.get('principal'), c.req.valid('param').id);
    const secret = await rotateSecret(deps.db, deps.webhooks.keyring, id, (c.req.valid('json').overlapHours ?? 24) * 3_600_000);
    return c.json({ ...endpointViewOf((await readEndpoint(deps.db, id))!), secret }, 200);
  });

  app.openapi(enableEndpointRoute, async (c) => {
    const { id } = await visibleEndpoint(deps, c.get('principal'), c.req.valid('param').id);
    await enableEndpoint(deps.db, id);
    return c.json(endpointViewOf((await readEndpoint(deps.db, id))!), 200);
  });
}

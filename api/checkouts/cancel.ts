/** `POST /v1/checkouts/{id}/cancel`: asks the saga to stop and compensate; refused once payment capture has begun. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ApiError, problemResponses } from '../errors.ts';
import { limitBody, requireJson } from '../middleware/json-body.ts';
import { bearerSecurity, CancelRequest, Checkout, checkoutIdParam } from '../schemas.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import type { CommandResult } from '../../src/checkouts/temporal-checkouts.ts';
import { viewFor, visibleCheckout } from '../visibility.ts';

/** The problems a command on a checkout (cancel, review) can answer with. */
export const commandProblems = problemResponses(
  'malformed_json',
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal_error',
  'service_unavailable',
);

export const cancelCheckoutRoute = createRoute({
  method: 'post',
  path: '/v1/checkouts/{id}/cancel',
  operationId: 'cancelCheckout',
  tags: ['Checkouts'],
  summary: 'Cancel a checkout',
  description:
    'The saga stops and undoes what it did (releases stock, voids the authorization). The body is optional. Repeating an accepted cancel is safe: it answers 200 with the checkout as it is now.',
  security: bearerSecurity,
  middleware: [limitBody(), requireJson({ optional: true })] as const,
  request: {
    params: checkoutIdParam,
    body: { required: false, content: { 'application/json': { schema: CancelRequest } } },
  },
  responses: {
    200: { description: 'The same cancel was accepted before (a retry): the checkout as it is now', content: { 'application/json': { schema: Checkout } } },
    202: { description: 'Cancellation accepted; the checkout compensates and ends as `cancelled`', content: { 'application/json': { schema: Checkout } } },
    ...commandProblems,
  },
});

/** The checkout of an accepted command, or the problem of a refused or unknown one. */
export function commandCheckout(id: string, result: CommandResult) {
  if (result.kind === 'not_found') throw new ApiError('not_found', `No checkout ${id}.`);
  if (result.kind === 'refused') throw new ApiError('conflict', `${result.reason} (status: ${result.checkout.status}).`);
  return result.checkout;
}

export function registerCancelCheckout(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(cancelCheckoutRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    c.set('checkoutId', id);
    await visibleCheckout(deps.checkouts, c.get('principal'), id);
    const result = await deps.checkouts.cancel(id, reason === undefined ? {} : { reason });
    return c.json(viewFor(c.get('principal'), commandCheckout(id, result)), result.kind === 'accepted' && result.repeated ? 200 : 202);
  });
}

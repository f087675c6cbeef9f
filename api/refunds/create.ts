/** `POST /v1/checkouts/{id}/refunds`: refunds part or all of a completed checkout, once per request. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { claimIdempotencyKey, requestHash } from '../../src/checkouts/idempotency.ts';
import { newId } from '../../src/platform/ids.ts';
import { ApiError, problemResponses } from '../errors.ts';
import { limitBody, requireJson } from '../middleware/json-body.ts';
import { bearerSecurity, checkoutIdParam, idempotencyKeyHeader, Refund, RefundRequest } from '../schemas.ts';
import { visibleCheckout } from '../visibility.ts';
import type { AppEnv, RouteDeps } from '../context.ts';
import { refundFor } from './view.ts';

const responseHeaders = {
  Location: { description: 'The path of the refund', schema: { type: 'string' as const } },
  'Idempotent-Replayed': { description: '`true` when an earlier request with the same Idempotency-Key answered', schema: { type: 'string' as const } },
};

export const createRefundRoute = createRoute({
  method: 'post',
  path: '/v1/checkouts/{id}/refunds',
  operationId: 'createRefund',
  tags: ['Refunds'],
  summary: 'Refund a completed checkout',
  description:
    'Full (no `amount`) or partial; several partial refunds may follow each other up to the captured amount. Each refund is its own durable workflow: ' +
    'the answer comes once it is admitted (`pending`), and it goes on to the gateway that holds the capture, retried until REFUND_DEADLINE. ' +
    'Send an `Idempotency-Key`: a retry with it returns the same refund, and the gateway refunds once.',
  security: bearerSecurity,
  middleware: [limitBody(), requireJson()] as const,
  request: {
    params: checkoutIdParam,
    headers: z.object({ 'idempotency-key': idempotencyKeyHeader('refund', 'refund') }),
    body: { required: true, content: { 'application/json': { schema: RefundRequest } } },
  },
  responses: {
    200: { description: 'An earlier request with the same Idempotency-Key made this refund', headers: responseHeaders, content: { 'application/json': { schema: Refund } } },
    201: { description: 'The refund was admitted', headers: responseHeaders, content: { 'application/json': { schema: Refund } } },
    ...problemResponses(
      'malformed_json',
      'invalid_request',
      'unauthorized',
      'not_found',
      'not_refundable',
      'payload_too_large',
      'unsupported_media_type',
      'amount_exceeds_refundable',
      'idempotency_key_reused',
      'rate_limited',
      'internal_error',
      'service_unavailable',
    ),
  },
});

export function registerCreateRefund(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(createRefundRoute, async (c) => {
    const { id: checkoutId } = c.req.valid('param');
    const body = c.req.valid('json');
    const { 'idempotency-key': idempotencyKey } = c.req.valid('header');
    const principal = c.get('principal');
    c.set('checkoutId', checkoutId);
    const checkout = await visibleCheckout(deps.checkouts, principal, checkoutId);

    let refundId = newId('re');
    let replayed = false;
    if (idempotencyKey !== undefined) {
      // The checkout is part of the request: the same key and body for another checkout is another request.
      const claim = await claimIdempotencyKey(deps.db, { merchantId: principal.id, key: idempotencyKey, requestHash: requestHash({ refundOf: checkoutId, ...body }), objectId: refundId });
      if (claim.kind === 'mismatch') throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key for a new refund.');
      refundId = claim.objectId;
      replayed = claim.kind === 'replay';
    }

    const result = await deps.refunds.request({
      refundId,
      checkoutId,
      merchantId: checkout.merchantId,
      amount: body.amount ?? null,
      reason: body.reason ?? null,
      requestedAt: new Date(deps.now()).toISOString(),
    });
    if (result.kind === 'refused') {
      const { code, message, refundable, currency } = result.refusal;
      throw new ApiError(code, message, { errors: [{ path: 'amount', message: `at most ${refundable} ${currency} is left to refund` }] });
    }
    c.header('location', `/v1/refunds/${result.refund.id}`);
    if (replayed) c.header('idempotent-replayed', 'true');
    return c.json(refundFor(principal, result.refund), replayed ? 200 : 201);
  });
}

/** `POST /v1/checkouts/{id}/review`: an operator approves or rejects a checkout held for fraud review. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { requireRole } from '../middleware/auth.ts';
import { limitBody, requireJson } from '../middleware/json-body.ts';
import { bearerSecurity, Checkout, checkoutIdParam, ReviewDecision } from '../schemas.ts';
import { commandCheckout, commandProblems } from './cancel.ts';
import type { AppEnv, RouteDeps } from '../context.ts';

export const reviewCheckoutRoute = createRoute({
  method: 'post',
  path: '/v1/checkouts/{id}/review',
  operationId: 'reviewCheckout',
  tags: ['Checkouts'],
  summary: 'Decide a fraud review (operators only)',
  security: bearerSecurity,
  middleware: [requireRole('operator'), limitBody(), requireJson()] as const,
  request: {
    params: checkoutIdParam,
    body: { required: true, content: { 'application/json': { schema: ReviewDecision } } },
  },
  responses: {
    200: { description: 'Decision recorded; the saga goes on (approve) or compensates (reject)', content: { 'application/json': { schema: Checkout } } },
    ...commandProblems,
  },
});

export function registerReviewCheckout(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(reviewCheckoutRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { decision, note } = c.req.valid('json');
    c.set('checkoutId', id);
    const operator = c.get('principal').id;
    const result = await deps.checkouts.review(id, note === undefined ? { decision, operator } : { decision, note, operator });
    return c.json(commandCheckout(id, result), 200);
  });
}

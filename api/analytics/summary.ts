/** `GET /v1/analytics/summary`: checkout outcomes as counted by the analytics subscriber: a merchant's own, or every merchant's for an operator. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../../src/platform/db/client.ts';
import { analyticsSummarySchema, readAnalyticsSummary } from '../../src/analytics/summary.ts';
import { problemResponses } from '../errors.ts';
import { bearerSecurity } from '../schemas.ts';
import type { AppEnv } from '../context.ts';
import { createRouter } from '../router.ts';

export const analyticsSummaryRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/summary',
  operationId: 'getAnalyticsSummary',
  tags: ['Analytics'],
  summary: 'Read the analytics summary',
  description:
    "A merchant key reads that merchant's checkouts only; an operator key reads every merchant's, summed. " +
    'Counts by outcome, revenue by currency, decline rate, failure reasons, fraud-score distribution, time to outcome ' +
    'and outcomes per minute. Built asynchronously from the event stream, so it trails the checkouts by about a second.',
  security: bearerSecurity,
  responses: {
    200: { description: 'The summary', content: { 'application/json': { schema: analyticsSummarySchema } } },
    ...problemResponses('unauthorized', 'rate_limited', 'internal_error'),
  },
});

/** The sub-app to mount with `app.route('/', …)`; authentication comes from the app's `/v1/*` middleware. */
export function createAnalyticsRoutes({ db }: { db: Database }): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.openapi(analyticsSummaryRoute, async (c) => {
    const principal = c.get('principal');
    c.header('cache-control', 'no-store');
    return c.json(await readAnalyticsSummary(db, principal.role === 'operator' ? 'all' : { merchantId: principal.id }), 200);
  });
  return app;
}

/** `createApp(deps)`: the HTTP API — middleware in order, the error handler, and every route mounted. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { requestId } from 'hono/request-id';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import { createCatalogCache } from '../src/inventory/catalog.ts';
import { createApiMetrics } from './metrics.ts';
import { authenticate } from './middleware/auth.ts';
import { observe } from './middleware/observe.ts';
import { RATE_LIMIT_HEADERS, rateLimits } from './middleware/rate-limit.ts';
import { databaseBudget } from '../src/auth/key-check-budgets.ts';
import { DEFAULT_MAX_EVENT_STREAMS, DEFAULT_MAX_WAITING_REQUESTS } from '../src/config/index.ts';
import { concurrencyCap } from './concurrency.ts';
import { createAnalyticsRoutes } from './analytics/summary.ts';
import { checkoutRoutes } from './checkouts/index.ts';
import { createDashboardRoutes } from './operations/dashboard.ts';
import { registerDocs } from './operations/docs.ts';
import { registerWebhookEvents } from './webhooks/events.ts';
import { registerHealth } from './operations/health.ts';
import { registerMetrics } from './operations/metrics.ts';
import { refundRoutes } from './refunds/index.ts';
import { webhookRoutes } from './webhooks/index.ts';
import { orderRoutes } from './orders/index.ts';
import { READINESS_TIMEOUT_MS } from './operations/app.ts';
import { answerProblems } from './problems.ts';
import type { AppDeps, AppEnv, RouteDeps } from './context.ts';
import { createRouter } from './router.ts';
import { traceRequests } from './middleware/tracing.ts';

export type { AppDeps } from './context.ts';

/**
 * Secure headers on every answer (nosniff, frame denial, no referrer, HSTS, a content security policy): the
 * docs page loads scripts from this origin only (Swagger UI needs inline styles). A route that sets a policy
 * of its own (the dashboard, the sign-in pages) keeps it: the general one, set last, would replace it.
 */
function secureHeadersKeepingRoutePolicy(): MiddlewareHandler<AppEnv> {
  const headers = secureHeaders({
    referrerPolicy: 'no-referrer',
    contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"], frameAncestors: ["'none'"] },
  });
  return async (c, next) => {
    let own: string | null = null;
    await headers(c, async () => {
      await next();
      own = c.res.headers.get('content-security-policy');
    });
    if (own) c.res.headers.set('content-security-policy', own);
  };
}

/** Builds the whole HTTP API from its dependencies; serve it with `startApiServer` or call `app.request()` in tests. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const now = deps.now ?? Date.now;
  const routeDeps: RouteDeps = {
    ...deps,
    catalog: deps.catalog ?? createCatalogCache({ db: deps.db }),
    now,
    metrics: createApiMetrics(deps.registry),
    readinessTimeoutMs: deps.readinessTimeoutMs ?? READINESS_TIMEOUT_MS,
    tracing: deps.tracing ?? false,
    waits: concurrencyCap(deps.api.maxWaitingRequests ?? DEFAULT_MAX_WAITING_REQUESTS),
  };

  const app = createRouter();
  if (routeDeps.tracing) app.use('*', ...traceRequests());
  app.use('*', requestId(), observe({ logger: deps.logger, metrics: routeDeps.metrics }), secureHeadersKeepingRoutePolicy());
  const perMinute = deps.api.rateLimitPerMinute;
  const limits = rateLimits({ perMinute, now, strangers: databaseBudget(deps.db, { scope: 'api-key', perMinute, now }) });
  app.use('/v1/*', authenticate(deps.auth, limits.unauthenticated), limits.authenticated);
  // Reads carry an ETag; a client that sends it back in If-None-Match gets 304 while nothing changed.
  app.use('/v1/*', etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'x-request-id', ...RATE_LIMIT_HEADERS] }));

  app.route('/', checkoutRoutes(routeDeps));
  app.route('/', orderRoutes(routeDeps));
  app.route('/', refundRoutes(routeDeps));
  app.route('/', webhookRoutes(routeDeps));
  // With an operations port, /metrics and the detailed /readyz live there only (see createOperationsApp).
  const operationsHere = deps.api.ops === null;
  registerHealth(app, routeDeps, { detailed: operationsHere });
  if (operationsHere) registerMetrics(app, routeDeps);
  app.route('/', createAnalyticsRoutes({ db: deps.db }));
  app.route(
    '/',
    createDashboardRoutes({
      db: deps.db,
      auth: deps.auth,
      secureCookie: deps.api.secureCookies ?? deps.api.publicUrl.startsWith('https://'),
      streams: concurrencyCap(deps.api.maxEventStreams ?? DEFAULT_MAX_EVENT_STREAMS),
    }),
  );
  registerDocs(app, deps.api.publicUrl);
  registerWebhookEvents(app);
  answerProblems(app);
  return app;
}

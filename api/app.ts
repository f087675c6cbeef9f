/** `createApp(deps)`: the HTTP API — middleware in order, the error handler, and every route mounted. */
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { requestId } from 'hono/request-id';
import { createCatalogCache } from '../src/db/catalog.ts';
import { isDatabaseUnreachable } from '../src/db/client.ts';
import { CheckoutStartUnsettledError, CheckoutsUnavailableError } from '../src/temporal/checkouts.ts';
import { ApiError, fieldErrors, PROBLEMS, problemResponse, type ProblemCode } from './errors.ts';
import { createApiMetrics } from './metrics.ts';
import { authenticate } from './middleware/auth.ts';
import { observe } from './middleware/observe.ts';
import { rateLimits } from './middleware/rate-limit.ts';
import { databaseBudget } from '../src/db/key-check-budgets.ts';
import { DEFAULT_MAX_EVENT_STREAMS, DEFAULT_MAX_WAITING_REQUESTS } from '../src/config.ts';
import { concurrencyCap } from './concurrency.ts';
import { createAnalyticsRoutes } from './routes/analytics.ts';
import { registerCancelCheckout } from './routes/cancel-checkout.ts';
import { registerCreateCheckout } from './routes/create-checkout.ts';
import { createDashboardRoutes } from './routes/dashboard.ts';
import { registerDocs } from './routes/docs.ts';
import { registerGetCheckout } from './routes/get-checkout.ts';
import { registerGetNotifications } from './routes/get-notifications.ts';
import { registerGetOrder } from './routes/get-order.ts';
import { registerHealth } from './routes/health.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerReviewCheckout } from './routes/review-checkout.ts';
import type { AppDeps, AppEnv, RouteDeps } from './context.ts';
import { traceRequests } from './middleware/tracing.ts';

export type { AppDeps } from './context.ts';

/** Turns a failed schema validation into a 400 listing every offending path (a malformed path id is a 404). */
const validationHook: Hook<unknown, AppEnv, string, undefined> = (result, c) => {
  if (result.success) return;
  if (result.target === 'param') throw new ApiError('not_found', `Nothing exists at ${c.req.path}.`);
  const errors = fieldErrors(result.error);
  const what = result.target === 'json' ? 'body' : result.target === 'header' ? 'headers' : result.target;
  throw new ApiError('invalid_request', `The request ${what} did not pass validation: ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}.`, {
    errors,
  });
};

/** Maps anything thrown to a problem; unknown errors become a generic 500 and are logged, never shown. */
function toProblem(error: unknown, c: Context<AppEnv>): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Thrown by Hono's own middleware (validator, body limit, media-type gate) or a mounted sub-app.
    if (error.status === 400) return new ApiError('malformed_json', 'The request body is not valid JSON.');
    if (error.status === 413) return new ApiError('payload_too_large', 'The request body is too large.');
    if (error.status === 415) return new ApiError('unsupported_media_type', 'Send the body as JSON with `Content-Type: application/json`.');
    const code = (Object.keys(PROBLEMS) as ProblemCode[]).find((candidate) => PROBLEMS[candidate].status === error.status);
    if (code && error.status < 500) return new ApiError(code, error.message || PROBLEMS[code].title);
  }
  if (error instanceof CheckoutStartUnsettledError) {
    // The checkout may be running: its id lets the client look (GET) before it retries without a key.
    c.get('logger')?.warn({ err: error, checkoutId: error.checkoutId }, 'checkout start unsettled');
    return new ApiError(
      'service_unavailable',
      `The checkout service did not confirm the start of checkout ${error.checkoutId}, which may be running: look it up at its Location before retrying, or retry with an Idempotency-Key.`,
      { headers: { 'retry-after': '1', location: `/v1/checkouts/${error.checkoutId}` } },
    );
  }
  // Temporal or the database out of reach: "try again shortly", never a 500.
  const unavailable = error instanceof CheckoutsUnavailableError ? 'checkout service' : isDatabaseUnreachable(error) ? 'database' : null;
  if (unavailable) {
    c.get('logger')?.warn({ err: error }, `${unavailable} unavailable`);
    return new ApiError('service_unavailable', 'The checkout service is temporarily unavailable; retry shortly.', { headers: { 'retry-after': '1' } });
  }
  c.get('logger')?.error({ err: error }, 'unexpected error');
  return new ApiError('internal_error', 'Something went wrong on our side. Retrying with the same Idempotency-Key is safe.');
}

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

/** How long one readiness check may take before it counts as down. */
const READINESS_TIMEOUT_MS = 3_000;

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

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  if (routeDeps.tracing) app.use('*', ...traceRequests());
  app.use('*', requestId(), observe({ logger: deps.logger, metrics: routeDeps.metrics }), secureHeadersKeepingRoutePolicy());
  const perMinute = deps.api.rateLimitPerMinute;
  const limits = rateLimits({ perMinute, now, strangers: databaseBudget(deps.db, { scope: 'api-key', perMinute, now }) });
  app.use('/v1/*', authenticate(deps.auth, limits.unauthenticated), limits.authenticated);

  registerCreateCheckout(app, routeDeps);
  registerGetCheckout(app, routeDeps);
  registerCancelCheckout(app, routeDeps);
  registerReviewCheckout(app, routeDeps);
  registerGetOrder(app, routeDeps);
  registerGetNotifications(app, routeDeps);
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
  answerProblems(app);
  return app;
}

/** Unknown routes as 404 problems, and anything thrown as the problem it maps to. */
function answerProblems(app: OpenAPIHono<AppEnv>): void {
  const answer = (c: Context<AppEnv>, problem: ApiError) => {
    c.set('problem', problem.code);
    return problemResponse(c, problem);
  };
  app.notFound((c) => answer(c, new ApiError('not_found', `No route ${c.req.method} ${c.req.path}.`)));
  app.onError((error, c) => answer(c, toProblem(error, c)));
}

/**
 * The operations port (OPS_PORT): `/metrics`, the detailed `/readyz` and `/healthz`, for Prometheus and the
 * orchestrator on an internal interface. Serves the same registry and checks as the app.
 */
export function createOperationsApp(deps: Pick<AppDeps, 'registry' | 'readiness' | 'readinessTimeoutMs' | 'logger'>): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('logger', deps.logger);
    await next();
  });
  registerHealth(app, { readiness: deps.readiness, readinessTimeoutMs: deps.readinessTimeoutMs ?? READINESS_TIMEOUT_MS }, { detailed: true });
  registerMetrics(app, deps);
  answerProblems(app);
  return app;
}

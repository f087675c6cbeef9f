/** Per-request observability: a child logger, one structured log line and the HTTP metrics, labelled by route pattern. */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../../src/platform/logger.ts';
import type { ApiMetrics } from '../metrics.ts';
import type { AppEnv } from '../context.ts';

/** The pattern of the route that answered (e.g. `/v1/checkouts/:id`), or `unmatched`: bounded label values. */
export function routePattern(c: Parameters<MiddlewareHandler>[0]): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL');
  return handlers.at(-1)?.path ?? 'unmatched';
}

/** Sets `logger`, then after the response logs it and counts it (route pattern, status, duration). */
export function observe({ logger, metrics }: { logger: Logger; metrics: ApiMetrics }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.get('requestId');
    c.set('logger', logger.child({ requestId }));
    await next();
    const durationMs = performance.now() - started;
    const route = routePattern(c);
    const status = c.res.status;
    const labels = { method: c.req.method, route, status: String(status) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, durationMs / 1000);
    const principal = c.get('principal');
    const line = {
      method: c.req.method,
      route,
      path: c.req.path,
      status,
      durationMs: Math.round(durationMs * 10) / 10,
      ...(principal ? { principal: principal.id } : {}),
      ...(c.get('checkoutId') ? { checkoutId: c.get('checkoutId') } : {}),
      ...(c.get('problem') ? { problem: c.get('problem') } : {}),
    };
    const log = c.get('logger');
    if (status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  };
}

/** The operations port (OPS_PORT, and the subscribers' metrics port): health, readiness and metrics, without the API's routes. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../context.ts';
import { answerProblems } from '../problems.ts';
import { registerHealth } from './health.ts';
import { registerMetrics } from './metrics.ts';
import { createRouter } from '../router.ts';

/** How long one readiness check may take before it counts as down. */
export const READINESS_TIMEOUT_MS = 3_000;

/**
 * The operations port (OPS_PORT): `/metrics`, the detailed `/readyz` and `/healthz`, for Prometheus and the
 * orchestrator on an internal interface. Serves the same registry and checks as the app.
 */
export function createOperationsApp(deps: Pick<AppDeps, 'registry' | 'readiness' | 'readinessTimeoutMs' | 'logger'>): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.use('*', async (c, next) => {
    c.set('logger', deps.logger);
    await next();
  });
  registerHealth(app, { readiness: deps.readiness, readinessTimeoutMs: deps.readinessTimeoutMs ?? READINESS_TIMEOUT_MS }, { detailed: true });
  registerMetrics(app, deps);
  answerProblems(app);
  return app;
}

/** `GET /metrics`: the injected prom-client registry in Prometheus text format. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, RouteDeps } from '../context.ts';

export const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics',
  responses: {
    200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
  },
});

export function registerMetrics(app: OpenAPIHono<AppEnv>, deps: Pick<RouteDeps, 'registry'>): void {
  app.openapi(metricsRoute, async (c) => {
    const text = await deps.registry.metrics();
    return c.text(text, 200, { 'content-type': deps.registry.contentType });
  });
}

/** `GET /healthz` (the process answers) and `GET /readyz` (its dependencies answer; names each one that does not). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, RouteDeps } from '../context.ts';

const Health = z.object({ status: z.literal('ok') }).openapi('Health');

const Readiness = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z
      .record(z.string(), z.enum(['up', 'down']))
      .optional()
      .openapi({ example: { temporal: 'up', nats: 'up', database: 'up' }, description: 'absent on the public port when OPS_PORT serves the details' }),
    errors: z.record(z.string(), z.string()).optional().openapi({ example: { nats: 'connection refused' } }),
  })
  .openapi('Readiness');

export const healthzRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'healthz',
  tags: ['Operations'],
  summary: 'Liveness',
  responses: { 200: { description: 'The process is alive', content: { 'application/json': { schema: Health } } } },
});

export const readyzRoute = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'readyz',
  tags: ['Operations'],
  summary: 'Readiness of Temporal, NATS and the database',
  responses: {
    200: { description: 'Every dependency answers', content: { 'application/json': { schema: Readiness } } },
    503: { description: 'At least one dependency does not answer; `errors` says why', content: { 'application/json': { schema: Readiness } } },
  },
});

/** Runs one check with a deadline; resolves to null when up, or to the reason it is down. */
async function probe(check: () => Promise<void>, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `detailed` false (the public port when OPS_PORT is set): the same status codes, without naming
 * dependencies or their errors, which tell an outsider how the service is built.
 */
export function registerHealth(app: OpenAPIHono<AppEnv>, deps: Pick<RouteDeps, 'readiness' | 'readinessTimeoutMs'>, { detailed }: { detailed: boolean }): void {
  app.openapi(healthzRoute, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(readyzRoute, async (c) => {
    const names = Object.keys(deps.readiness);
    const results = await Promise.all(names.map((name) => probe(deps.readiness[name]!, deps.readinessTimeoutMs)));
    const checks: Record<string, 'up' | 'down'> = {};
    const errors: Record<string, string> = {};
    names.forEach((name, i) => {
      const failure = results[i];
      checks[name] = failure === null ? 'up' : 'down';
      if (failure !== null && failure !== undefined) errors[name] = failure;
    });
    if (Object.keys(errors).length > 0) {
      c.get('logger').warn({ errors }, 'not ready');
      return c.json(detailed ? { status: 'unavailable' as const, checks, errors } : { status: 'unavailable' as const }, 503);
    }
    return c.json(detailed ? { status: 'ok' as const, checks } : { status: 'ok' as const }, 200);
  });
}

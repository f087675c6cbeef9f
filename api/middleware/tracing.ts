/**
 * A server span per request (Hono's OpenTelemetry middleware, named by route pattern, continuing a caller's
 * `traceparent`), and the trace sent back in the answer's `traceparent` header: the id a client quotes to
 * find its checkout's whole story.
 */
import { httpInstrumentationMiddleware } from '@hono/otel';
import type { MiddlewareHandler } from 'hono';
import { activeTraceHeaders } from '../../src/telemetry/tracing.ts';
import type { AppEnv } from '../context.ts';

export function traceRequests(): MiddlewareHandler<AppEnv>[] {
  const answerWithTrace: MiddlewareHandler<AppEnv> = async (c, next) => {
    const { traceparent } = activeTraceHeaders();
    if (traceparent) c.header('traceparent', traceparent);
    await next();
  };
  return [httpInstrumentationMiddleware({ captureActiveRequests: false }), answerWithTrace];
}

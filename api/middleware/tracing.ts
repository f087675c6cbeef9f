/**
 * A server span per request (Hono's OpenTelemetry middleware, named by route pattern), and the trace sent back
 * in the answer's `traceparent` header: the id a client quotes to find its checkout's whole story.
 *
 * A caller's trace context is a link, never the parent: every request starts a trace of this service's own.
 * A caller cannot decide whether it is sampled (`traceparent` flags), put its trace id on the calls to the
 * gateways and the fraud service, or hang its baggage on them; the link still leads from its trace to ours.
 */
import { httpInstrumentationMiddleware } from '@hono/otel';
import { trace, type SpanContext } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { activeTraceHeaders, contextFromHeaders } from '../../src/platform/telemetry/tracing.ts';
import type { AppEnv } from '../context.ts';

/** The headers a caller's trace context arrives in. */
const TRACE_CONTEXT_HEADERS = ['traceparent', 'tracestate', 'baggage'];

export function traceRequests(): MiddlewareHandler<AppEnv>[] {
  const callers = new WeakMap<Request, SpanContext>();
  const setCallerAside: MiddlewareHandler<AppEnv> = async (c, next) => {
    const caller = trace.getSpanContext(contextFromHeaders((key) => c.req.header(key)));
    if (caller) callers.set(c.req.raw, caller);
    for (const name of TRACE_CONTEXT_HEADERS) c.req.raw.headers.delete(name);
    await next();
  };
  const linkCaller: MiddlewareHandler<AppEnv> = async (c, next) => {
    const caller = callers.get(c.req.raw);
    if (caller) trace.getActiveSpan()?.addLink({ context: caller, attributes: { 'link.reason': 'caller' } });
    await next();
  };
  const answerWithTrace: MiddlewareHandler<AppEnv> = async (c, next) => {
    const { traceparent } = activeTraceHeaders();
    if (traceparent) c.header('traceparent', traceparent);
    await next();
  };
  return [setCallerAside, httpInstrumentationMiddleware({ captureActiveRequests: false }), linkCaller, answerWithTrace];
}

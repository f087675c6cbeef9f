/**
 * Tracing for one process: OpenTelemetry's Node tracer provider, exporting over OTLP/HTTP when an endpoint is
 * configured (or to the span processor a test hands in), and nothing otherwise. Off, no provider is
 * registered: every span is OpenTelemetry's no-op, no context is propagated, no client or activity interceptor
 * is installed and the workflow interceptors pass through (`workflows/tracing-interceptors.ts`).
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type SpanOptions } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Config } from '../../config/index.ts';

export interface Tracing {
  enabled: boolean;
  /** Where the Temporal worker hands workflow spans, which are made inside its sandbox and leave it through a sink. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Exports what is still buffered and unregisters the provider. */
  shutdown(): Promise<void>;
}

export const TRACING_OFF: Tracing = { enabled: false, spanProcessor: new NoopSpanProcessor(), resource: Resource.empty(), shutdown: async () => undefined };

/**
 * Starts tracing for a process of `role` when `config.tracesEndpoint` is set or `spanProcessor` is given (a
 * test's in-memory exporter); TRACING_OFF otherwise. One per process: it registers the global provider.
 */
export function startTracing(config: Config['tracing'], role: string, options: { spanProcessor?: SpanProcessor } = {}): Tracing {
  const spanProcessor = options.spanProcessor ?? (config.tracesEndpoint ? new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesEndpoint })) : null);
  if (!spanProcessor) return TRACING_OFF;
  const resource = new Resource({ 'service.name': config.serviceName, 'service.namespace': 'durable-checkout', 'durable_checkout.role': role });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // AsyncLocalStorage context, and W3C trace context (traceparent) as the only propagator: no baggage, so
  // nothing a caller puts there travels on to the gateways, the fraud service or the event stream.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    enabled: true,
    spanProcessor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The tracer every part of this service makes its spans with. */
export const tracer = () => trace.getTracer('durable-checkout');

/** Runs `fn` in a new active span that ends with it, recording a thrown error on the span. */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>, parent = context.active()): Promise<T> {
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * An outgoing HTTP call as a client span named `<method> <route>` (the path as a template, e.g.
 * `/v1/authorizations/{id}/capture`). `call` gets the headers that carry the trace to the service called;
 * `outcome` reads the answer's status, or the error of a call that got none.
 */
export function inClientSpan<T>(
  request: { method: string; url: string; route: string },
  call: (traceHeaders: Record<string, string>) => Promise<T>,
  outcome: (result: T) => { status: number } | { error: string },
): Promise<T> {
  return inSpan(`${request.method} ${request.route}`, { kind: SpanKind.CLIENT }, async (span) => {
    // Tracing off, the span is a no-op: the URL is parsed only for a span that is kept.
    if (span.isRecording()) {
      const target = new URL(request.url);
      span.setAttributes({ 'http.request.method': request.method, 'server.address': target.hostname, 'server.port': Number(target.port) || 80, 'url.path': target.pathname });
    }
    const result = await call(activeTraceHeaders());
    const answer = outcome(result);
    if ('status' in answer) span.setAttribute('http.response.status_code', answer.status);
    else span.setStatus({ code: SpanStatusCode.ERROR, message: answer.error });
    return result;
  });
}

/** The trace and span of the active span, or null when there is none (tracing off, or outside any span). */
export function activeTraceIds(): { traceId: string; spanId: string } | null {
  const span = trace.getActiveSpan();
  if (!span) return null;
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { traceId, spanId } : null;
}

/** The W3C `traceparent` (and `tracestate`) of the active span, for headers that carry it onwards. */
export function activeTraceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The context a message's trace headers carry (W3C `traceparent`), to continue its trace; the root context when none. */
export function contextFromHeaders(get: (key: string) => string | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, null, { get: (_carrier, key) => get(key), keys: () => ['traceparent', 'tracestate'] });
}

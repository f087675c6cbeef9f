/**
 * Tracing in one process: off, nothing is traced or propagated; on, spans nest, the active one's context
 * goes out in `traceparent` on outgoing HTTP calls and log lines name their trace.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../../src/platform/http/client.ts';
import { loadConfig } from '../../src/config/index.ts';
import { lookupAtProvider, sendThroughProvider } from '../../src/notifications/providers.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { activeTraceHeaders, activeTraceIds, contextFromHeaders, inSpan, startTracing, TRACING_OFF, type Tracing } from '../../src/platform/telemetry/tracing.ts';

const OFF = { tracesEndpoint: null, serviceName: 'test' };
let tracing: Tracing = TRACING_OFF;
afterEach(() => tracing.shutdown());

/** A fetch that answers 200 `{}` and keeps the headers it was sent. */
function recordingFetch() {
  const sent: Record<string, string>[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    sent.push(init.headers as Record<string, string>);
    return new Response('{}', { status: 200 });
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

describe('tracing off', () => {
  it('starts nothing, and nothing is propagated or logged with a trace', async () => {
    tracing = startTracing(OFF, 'test');
    expect(tracing).toBe(TRACING_OFF);
    const { sent, fetch } = recordingFetch();
    await inSpan('work', {}, async () => {
      expect(activeTraceIds()).toBeNull();
      expect(activeTraceHeaders()).toEqual({});
      await postJson('http://127.0.0.1:9/v1/x', {}, { timeoutMs: 1_000, fetch });
    });
    expect(sent[0]).not.toHaveProperty('traceparent');
  });
});

describe('tracing on', () => {
  it('nests spans, sends the client span in traceparent, and names the trace in log lines', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing(OFF, 'test', { spanProcessor: new SimpleSpanProcessor(exporter) });
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    const { sent, fetch } = recordingFetch();

    const outer = await inSpan('work', {}, async () => {
      logger.info('inside');
      await postJson('http://127.0.0.1:9/v1/authorizations/au_1/capture', {}, { timeoutMs: 1_000, fetch, route: '/v1/authorizations/{id}/capture' });
      return activeTraceIds()!;
    });
    logger.info('outside');

    const [call, work] = exporter.getFinishedSpans();
    expect(work!.name).toBe('work');
    expect(call!.name).toBe('POST /v1/authorizations/{id}/capture');
    expect(call!.parentSpanId).toBe(outer.spanId);
    expect(call!.attributes['http.response.status_code']).toBe(200);
    expect(sent[0]!.traceparent).toBe(`00-${outer.traceId}-${call!.spanContext().spanId}-01`);

    const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(inside).toMatchObject({ msg: 'inside', traceId: outer.traceId, spanId: outer.spanId });
    expect(outside).not.toHaveProperty('traceId');
  });

  it('makes each SMS or push provider call a client span that carries the trace, and marks a call that got no answer', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing(OFF, 'test', { spanProcessor: new SimpleSpanProcessor(exporter) });
    // A provider that accepts every message, and never answers a look-up.
    const received: IncomingHttpHeaders[] = [];
    const provider = createServer((request, response) => {
      received.push(request.headers);
      if (request.method === 'POST') response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"msg_1"}');
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    try {
      const outer = await inSpan('notify', {}, async () => {
        expect((await sendThroughProvider(base, { to: '+15005550006', text: 'paid', key: 'ntf_1' }, 1_000)).result).toBe('accepted');
        expect(await lookupAtProvider(base, 'ntf_1', 200)).toEqual({ sent: 'unknown' });
        return activeTraceIds()!;
      });
      const [send, lookup] = exporter.getFinishedSpans();
      expect([send!.name, lookup!.name]).toEqual(['POST /v1/messages', 'GET /v1/messages/{key}']);
      expect([send!.parentSpanId, lookup!.parentSpanId]).toEqual([outer.spanId, outer.spanId]);
      expect(send!.attributes['http.response.status_code']).toBe(201);
      expect(received[0]!.traceparent).toBe(`00-${outer.traceId}-${send!.spanContext().spanId}-01`);
      expect(lookup!.status).toEqual({ code: 2, message: 'no answer within 200 ms' });
    } finally {
      provider.closeAllConnections();
      await new Promise((resolve) => provider.close(resolve));
    }
  });

  it('continues the trace a message carried in its headers', async () => {
    tracing = startTracing(OFF, 'test', { spanProcessor: new SimpleSpanProcessor(new InMemorySpanExporter()) });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const ids = await inSpan('process', {}, async () => activeTraceIds(), contextFromHeaders((key) => (key === 'traceparent' ? traceparent : undefined)));
    expect(ids?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('takes no baggage from a caller and passes none on: only the trace context travels', async () => {
    tracing = startTracing(OFF, 'test', { spanProcessor: new SimpleSpanProcessor(new InMemorySpanExporter()) });
    const inbound: Record<string, string> = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', baggage: 'tenant=evil,debug=1' };
    const extracted = propagation.extract(ROOT_CONTEXT, inbound);
    expect(propagation.getBaggage(extracted)).toBeUndefined();
    const carried = propagation.setBaggage(extracted, propagation.createBaggage({ tenant: { value: 'evil' } }));
    const { sent, fetch } = recordingFetch();
    await inSpan('call', {}, () => postJson('http://127.0.0.1:9/v1/x', {}, { timeoutMs: 1_000, fetch }), carried);
    expect(sent[0]).toHaveProperty('traceparent');
    expect(sent[0]).not.toHaveProperty('baggage');
  });
});

describe('tracing configuration', () => {
  it('sends traces to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces, or to the traces endpoint when that is set', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.tracesEndpoint).toBe('http://collector:4318/v1/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces' }).tracing.tracesEndpoint).toBe('https://b/traces');
    expect(loadConfig({}).tracing).toEqual({ tracesEndpoint: null, serviceName: 'durable-checkout' });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

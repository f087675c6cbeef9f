/**
 * The API's request spans: a caller's `traceparent` is linked, never continued, so a caller neither decides
 * sampling nor lends its trace id to the calls the service makes.
 */
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { startTracing, type Tracing } from '../../src/platform/telemetry/tracing.ts';
import { buildTestApp, openTestDatabase } from '../api/support/test-app.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let database: DatabaseHandle;
beforeAll(async () => {
  tracing = startTracing({ tracesEndpoint: null, serviceName: 'test' }, 'test', { spanProcessor: new SimpleSpanProcessor(exporter) });
  database = await openTestDatabase();
}, 60_000);
afterAll(async () => {
  await database?.close();
  await tracing?.shutdown();
});

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

describe('a request that carries the caller’s trace context', () => {
  it.each([
    ['sampled', '01'],
    ['not sampled', '00'],
  ])('(%s) starts a sampled trace of the service’s own, linked to the caller’s span', async (_name, flags) => {
    const { app } = buildTestApp(database, { tracing: true });
    exporter.reset();
    const res = await app.request('/healthz', { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-${flags}`, baggage: 'tenant=evil' } });
    expect(res.status).toBe(200);
    const answered = res.headers.get('traceparent');
    expect(answered).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(answered).not.toContain(CALLER_TRACE);

    const [server] = exporter.getFinishedSpans();
    expect(server).toBeDefined();
    expect(server!.parentSpanId).toBeUndefined();
    expect(server!.spanContext().traceId).toBe(answered!.split('-')[1]);
    expect(server!.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId }))).toEqual([{ traceId: CALLER_TRACE, spanId: CALLER_SPAN }]);
  });
});

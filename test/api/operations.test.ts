/** Operability: liveness, readiness that names what is down, and Prometheus metrics by route pattern. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperationsApp } from '../../api/operations/app.ts';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { auth, buildTestApp, openTestDatabase, postCheckout, validBody } from './support/test-app.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
}, 60_000);
afterAll(() => database?.close());

describe('GET /healthz and /readyz', () => {
  it('answers liveness without touching dependencies', async () => {
    const t = buildTestApp(database, { readiness: { temporal: () => Promise.reject(new Error('down')) } });
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when every check passes', async () => {
    const t = buildTestApp(database, { readiness: { temporal: async () => {}, nats: async () => {}, database: () => database.ping() } });
    const res = await t.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { temporal: 'up', nats: 'up', database: 'up' } });
  });

  it('answers 503 naming each dependency that is down, with its error', async () => {
    const t = buildTestApp(database, {
      readinessTimeoutMs: 50,
      readiness: {
        temporal: async () => {},
        nats: () => Promise.reject(new Error('connection closed')),
        database: () => new Promise<void>(() => {}),
      },
    });
    const res = await t.app.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'unavailable',
      checks: { temporal: 'up', nats: 'down', database: 'down' },
      errors: { nats: 'connection closed', database: 'no answer within 50 ms' },
    });
  });
});

describe('GET /metrics', () => {
  it('exposes request counts and latency by route pattern, and checkouts started', async () => {
    const t = buildTestApp(database);
    await postCheckout(t.app, validBody());
    await postCheckout(t.app, validBody(), { prefer: 'wait=1' });
    await t.app.request('/v1/checkouts/chk_nosuch', { headers: auth() });
    await t.app.request('/v1/checkouts/chk_other', { headers: auth() });
    await t.app.request('/no/such/route');

    const res = await t.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('http_requests_total{method="POST",route="/v1/checkouts",status="202"} 2');
    // Ids never become label values: both lookups count under the pattern.
    expect(text).toContain('http_requests_total{method="GET",route="/v1/checkouts/:id",status="404"} 2');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/v1\/checkouts",status="202"\}/);
    expect(text).toContain('checkouts_started_total{mode="async"} 1');
    expect(text).toContain('checkouts_started_total{mode="sync"} 1');
    expect(text).not.toContain('chk_nosuch');
  });

  it('can be built twice on one registry (a restart in the same process)', async () => {
    const first = buildTestApp(database);
    expect(() => buildTestApp(database, { registry: first.registry })).not.toThrow();
  });
});

describe('with an operations port (OPS_PORT)', () => {
  const readiness = { temporal: async () => {}, nats: () => Promise.reject(new Error('connection closed')) };
  const withOps = () => buildTestApp(database, { api: { rateLimitPerMinute: 1000, publicUrl: 'http://localhost', ops: { host: '127.0.0.1', port: 9100 } }, readiness });

  it('keeps /metrics off the public port, and the public /readyz to its status alone', async () => {
    const { app } = withOps();
    expect((await app.request('/metrics')).status).toBe(404);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('serves the metrics and the detailed readiness of the same registry on the operations app', async () => {
    const { app, registry } = withOps();
    await postCheckout(app, validBody());
    const ops = createOperationsApp({ registry, readiness, logger: createLogger({ level: 'silent' }) });
    const metrics = await ops.request('/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('checkouts_started_total{mode="async"} 1');
    const ready = await ops.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', checks: { temporal: 'up', nats: 'down' }, errors: { nats: 'connection closed' } });
    expect((await ops.request('/v1/checkouts')).status).toBe(404);
  });
});

describe('secure headers', () => {
  it.each(['/healthz', '/docs', '/v1/checkouts/chk_000000000000000000'])('are set on %s, answered or refused alike', async (path) => {
    const { app } = buildTestApp(database);
    const res = await app.request(path, { headers: auth() });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

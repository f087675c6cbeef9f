/** The analytics summary endpoint and the dashboard's routes, in memory with `app.request()` over PGlite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAPIHono } from '@hono/zod-openapi';
import { createAnalyticsRoutes } from '../../api/routes/analytics.ts';
import { createDashboardRoutes } from '../../api/routes/dashboard.ts';
import { applyAnalyticsEvents } from '../../src/subscribers/analytics-model.ts';
import { analyticsSummarySchema } from '../../src/analytics/summary.ts';
import { sampleEvent } from '../nats/support.ts';
import { openTestDatabase, type TestDatabase } from '../subscribers/support.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase('pglite');
}, 60_000);
afterAll(() => database?.drop());

/** Reads the `summary` events of an SSE response one at a time. */
function summaries(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<{ counts: { completed: number } }> {
      for (;;) {
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes('event: summary')) return JSON.parse(/^data: (.*)$/m.exec(frame)![1]!);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => reader.cancel(),
  };
}

describe('analytics routes', () => {
  it('serves the summary in the documented shape', async () => {
    const app = new OpenAPIHono().route('/', createAnalyticsRoutes({ db: database.db }));
    await database.db.transaction((tx) => applyAnalyticsEvents(tx, [sampleEvent(), sampleEvent('checkout.declined')]));
    const response = await app.request('/v1/analytics/summary');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = analyticsSummarySchema.parse(await response.json());
    expect(body.counts).toMatchObject({ completed: 1, declined: 1, total: 2 });
    expect(body.declineRate).toBe(0.5);
  });

  it('documents the endpoint and its schema in the OpenAPI document', () => {
    const app = new OpenAPIHono().route('/', createAnalyticsRoutes({ db: database.db }));
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const operation = doc.paths?.['/v1/analytics/summary']?.get;
    expect(operation?.operationId).toBe('getAnalyticsSummary');
    expect(JSON.stringify(operation?.responses?.['200'])).toContain('declineRate');
  });
});

describe('dashboard routes', () => {
  const app = () => createDashboardRoutes({ db: database.db, intervalMs: 50 });

  it('serves the page with a strict content security policy and its local assets', async () => {
    const page = await app().request('/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/dashboard/assets/dashboard.js');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await app().request('/dashboard/assets/dashboard.js');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain("new EventSource('/dashboard/events')");
    expect((await app().request('/dashboard/assets/nope.js')).status).toBe(404);
  });

  it('pushes the summary at once and again when it changes', async () => {
    const response = await app().request('/dashboard/events');
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const stream = summaries(response);
    const before = await stream.next();
    await database.db.transaction((tx) => applyAnalyticsEvents(tx, [sampleEvent()]));
    const after = await stream.next();
    await stream.close();
    expect(after.counts.completed).toBe(before.counts.completed + 1);
  });
});

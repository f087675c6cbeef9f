/** The analytics summary endpoint and the dashboard's routes, in memory with `app.request()` over PGlite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAPIHono } from '@hono/zod-openapi';
import { createAnalyticsRoutes } from '../../api/analytics/summary.ts';
import { DASHBOARD_SESSION_COOKIE } from '../../api/operations/dashboard.ts';
import { applyAnalyticsEvents, truncateAnalytics } from '../../src/analytics/model.ts';
import { analyticsSummarySchema } from '../../src/analytics/summary.ts';
import { sampleEvent } from '../nats/support.ts';
import { openTestDatabase, type TestDatabase } from '../subscribers/support.ts';
import { auth, buildTestApp, KEYS, merchantIdOf } from '../api/support/test-app.ts';

let database: TestDatabase;
let app: ReturnType<typeof buildTestApp>['app'];

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  app = buildTestApp(database).app;
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

describe('GET /v1/analytics/summary', () => {
  it("answers a merchant with its own checkouts only, and an operator with every merchant's", async () => {
    const own = merchantIdOf(KEYS.merchant);
    const other = merchantIdOf(KEYS.otherMerchant);
    const events = [
      sampleEvent('checkout.completed', { data: { merchantId: own, amount: { total: 1_000, currency: 'USD' } } }),
      sampleEvent('checkout.declined', { data: { merchantId: own } }),
      sampleEvent('checkout.completed', { data: { merchantId: other, amount: { total: 9_999, currency: 'USD' } } }),
    ];
    await database.db.transaction(async (tx) => {
      await truncateAnalytics(tx);
      await applyAnalyticsEvents(tx, events);
    });
    const read = async (key: string) => {
      const response = await app.request('/v1/analytics/summary', { headers: auth(key) });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      return analyticsSummarySchema.parse(await response.json());
    };

    const mine = await read(KEYS.merchant);
    expect(mine.counts).toMatchObject({ completed: 1, declined: 1, total: 2 });
    expect(mine.revenue).toEqual([{ currency: 'USD', total: 1_000, refunded: 0, net: 1_000, orders: 1 }]);
    expect(mine.declineRate).toBe(0.5);
    // The merchant's second key is the same merchant.
    expect((await read(KEYS.merchantNext)).counts).toEqual(mine.counts);
    expect((await read(KEYS.otherMerchant)).revenue).toEqual([{ currency: 'USD', total: 9_999, refunded: 0, net: 9_999, orders: 1 }]);
    const everyone = await read(KEYS.operator);
    expect(everyone.counts).toMatchObject({ completed: 2, declined: 1, total: 3 });
    expect(everyone.revenue).toEqual([{ currency: 'USD', total: 10_999, refunded: 0, net: 10_999, orders: 2 }]);
  });

  it('documents the endpoint and its schema in the OpenAPI document', () => {
    const routes = new OpenAPIHono().route('/', createAnalyticsRoutes({ db: database.db }));
    const doc = routes.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const operation = doc.paths?.['/v1/analytics/summary']?.get;
    expect(operation?.operationId).toBe('getAnalyticsSummary');
    expect(JSON.stringify(operation?.responses?.['200'])).toContain('declineRate');
  });
});

describe('dashboard routes', () => {
  const operator = auth(KEYS.operator);

  it('sends a browser without a session to the sign-in page, and a merchant key the same way: it is no operator key', async () => {
    const page = await app.request('/dashboard');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/dashboard/login');
    const signIn = await app.request('/dashboard/login');
    expect(await signIn.text()).toContain('name="key"');
    expect(signIn.headers.get('content-security-policy')).toContain("form-action 'self'");
    const merchant = await app.request('/dashboard', { headers: auth(KEYS.merchant) });
    expect(merchant.status).toBe(303);
    expect(merchant.headers.get('location')).toBe('/dashboard/login');
  });

  it('keeps the summary JSON and the event stream to operators: one 401 for no key, an unknown key and a merchant key alike', async () => {
    for (const path of ['/dashboard/summary.json', '/dashboard/events']) {
      const anonymous = await app.request(path);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get('www-authenticate'), path).toContain('Bearer');
      const unknown = await app.request(path, { headers: auth(KEYS.unknown) });
      const merchant = await app.request(path, { headers: auth(KEYS.merchant) });
      // Nothing tells a merchant key from a wrong one: the same status, headers and body.
      expect(merchant.status, path).toBe(401);
      expect(merchant.headers.get('www-authenticate'), path).toBe(unknown.headers.get('www-authenticate'));
      const body = async (res: Response) => ({ ...((await res.json()) as Record<string, unknown>), requestId: undefined });
      expect(await body(merchant), path).toEqual(await body(unknown));
    }
    const json = await app.request('/dashboard/summary.json', { headers: operator });
    expect(json.status).toBe(200);
    expect(analyticsSummarySchema.parse(await json.json()).counts.total).toBeGreaterThanOrEqual(0);
  });

  it('signs an operator in with an HttpOnly, SameSite=Strict cookie that opens the page and its data, and signs out', async () => {
    const refused = await app.request('/dashboard/login', { method: 'POST', body: new URLSearchParams({ key: KEYS.merchant }) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();

    const signedIn = await app.request('/dashboard/login', { method: 'POST', body: new URLSearchParams({ key: KEYS.operator }) });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/dashboard');
    const setCookie = signedIn.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${DASHBOARD_SESSION_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/dashboard/);
    const cookie = { cookie: setCookie.split(';')[0]! };

    const page = await app.request('/dashboard', { headers: cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/dashboard/assets/dashboard.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect((await app.request('/dashboard/summary.json', { headers: cookie })).status).toBe(200);
    expect((await app.request('/dashboard/summary.json', { headers: { cookie: `${DASHBOARD_SESSION_COOKIE}=${KEYS.merchant}` } })).status).toBe(401);

    const signedOut = await app.request('/dashboard/logout', { method: 'POST', headers: cookie });
    expect(signedOut.status).toBe(204);
    expect(signedOut.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });

  it('serves its static assets, which hold no data, to anyone', async () => {
    const js = await app.request('/dashboard/assets/dashboard.js');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain("new EventSource('/dashboard/events')");
    expect((await app.request('/dashboard/assets/nope.js')).status).toBe(404);
  });

  it('pushes the summary at once and again when it changes', async () => {
    const response = await app.request('/dashboard/events', { headers: operator });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const stream = summaries(response);
    const before = await stream.next();
    await database.db.transaction((tx) => applyAnalyticsEvents(tx, [sampleEvent()]));
    const after = await stream.next();
    await stream.close();
    expect(after.counts.completed).toBe(before.counts.completed + 1);
  });
});

describe('static assets', () => {
  it('answer 404 for a name that is not one of theirs, object prototype names included', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'nothing.js']) {
      for (const path of [`/dashboard/assets/${name}`, `/docs/assets/${name}`]) {
        expect((await app.request(path)).status, path).toBe(404);
      }
    }
    expect((await app.request('/dashboard/assets/dashboard.js')).status).toBe(200);
    expect((await app.request('/docs/assets/swagger-ui.css')).status).toBe(200);
  });
});

describe('dashboard event streams', () => {
  it('opens at most MAX_EVENT_STREAMS at once, answering 503 past it, and takes a new one once a stream closes', async () => {
    const capped = buildTestApp(database, { api: { rateLimitPerMinute: 1000, publicUrl: 'http://localhost', ops: null, maxEventStreams: 1 } }).app;
    const open = () => capped.request('/dashboard/events', { headers: auth(KEYS.operator) });
    const first = await open();
    expect(first.status).toBe(200);
    const refused = await open();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    await first.body!.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await open();
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });
});


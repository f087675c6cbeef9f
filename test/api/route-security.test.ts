/**
 * The security suite: every route alike, each caller (no key, unknown key, the owning merchant, another
 * merchant, an operator) gets the answer its rights give it: 401, 403, 404 for what belongs to someone else,
 * and 429 over the rate limit, unauthenticated callers included. A /v1 route the OpenAPI document lists
 * without a case here fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../api/server.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { auth, buildTestApp, insertPaidOrder, KEYS, openTestDatabase, postCheckout, validBody } from './support/test-app.ts';

let database: DatabaseHandle;
let t: ReturnType<typeof buildTestApp>;
beforeAll(async () => {
  database = await openTestDatabase();
  t = buildTestApp(database);
  await insertPaidOrder(database, { id: 'ord_authmatrix', checkoutId: 'chk_authmatrix', customerId: 'cus_1' });
}, 60_000);
afterAll(() => database?.close());

type Caller = 'none' | 'unknown' | 'merchant' | 'otherMerchant' | 'operator';
const CALLERS: Caller[] = ['none', 'unknown', 'merchant', 'otherMerchant', 'operator'];
const headersFor = (caller: Caller): Record<string, string> => (caller === 'none' ? {} : auth(KEYS[caller]));

/** A fresh checkout of the test merchant in the given status, so state-changing routes can be called once per cell. */
async function freshCheckout(status: 'pending' | 'awaiting_review' = 'pending'): Promise<string> {
  const res = await postCheckout(t.app, validBody());
  const { id } = (await res.json()) as { id: string };
  if (status !== 'pending') t.checkouts.setStatus(id, status);
  return id;
}

const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

interface RouteCase {
  /** `METHOD /path/{template}` as the OpenAPI document names it. */
  route: string;
  request: () => Promise<{ path: string; init: RequestInit }>;
  expected: Record<Caller, number>;
}

/** The resources belong to the test merchant (KEYS.merchant); another merchant must not learn they exist. */
const V1_ROUTES: RouteCase[] = [
  {
    route: 'POST /v1/checkouts',
    request: async () => ({ path: '/v1/checkouts', init: json(validBody()) }),
    expected: { none: 401, unknown: 401, merchant: 202, otherMerchant: 202, operator: 202 },
  },
  {
    route: 'GET /v1/checkouts/{id}',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout()}`, init: {} }),
    expected: { none: 401, unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 },
  },
  {
    route: 'POST /v1/checkouts/{id}/cancel',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout()}/cancel`, init: { method: 'POST' } }),
    expected: { none: 401, unknown: 401, merchant: 202, otherMerchant: 404, operator: 202 },
  },
  {
    // Reviews are an operator's call: merchants are refused before the checkout is looked up.
    route: 'POST /v1/checkouts/{id}/review',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout('awaiting_review')}/review`, init: json({ decision: 'approve' }) }),
    expected: { none: 401, unknown: 401, merchant: 403, otherMerchant: 403, operator: 200 },
  },
  {
    route: 'GET /v1/orders/{id}',
    request: async () => ({ path: '/v1/orders/ord_authmatrix', init: {} }),
    expected: { none: 401, unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 },
  },
  {
    route: 'GET /v1/checkouts/{id}/notifications',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout()}/notifications`, init: {} }),
    expected: { none: 401, unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 },
  },
  {
    // Every merchant may read it, and reads only its own numbers (test/dashboard/analytics-routes.test.ts).
    route: 'GET /v1/analytics/summary',
    request: async () => ({ path: '/v1/analytics/summary', init: {} }),
    expected: { none: 401, unknown: 401, merchant: 200, otherMerchant: 200, operator: 200 },
  },
];

const everyone = (status: number): Record<Caller, number> => ({ none: status, unknown: status, merchant: status, otherMerchant: status, operator: status });
const OTHER_ROUTES: RouteCase[] = [
  ...['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/docs/assets/swagger-ui.css', '/dashboard/assets/dashboard.js'].map((path) => ({
    route: `GET ${path}`,
    request: async () => ({ path, init: {} }),
    expected: everyone(200),
  })),
  {
    // A browser without an operator session is sent to sign in.
    route: 'GET /dashboard',
    request: async () => ({ path: '/dashboard', init: {} }),
    expected: { none: 303, unknown: 303, merchant: 303, otherMerchant: 303, operator: 200 },
  },
  {
    // Any key that is not an operator's is answered as no key: nothing confirms a merchant key here.
    route: 'GET /dashboard/summary.json',
    request: async () => ({ path: '/dashboard/summary.json', init: {} }),
    expected: { none: 401, unknown: 401, merchant: 401, otherMerchant: 401, operator: 200 },
  },
];

const cells = [...V1_ROUTES, ...OTHER_ROUTES].flatMap((route) => CALLERS.map((caller) => ({ route, caller, status: route.expected[caller] })));

describe('every route, every caller', () => {
  it('has a case for every /v1 operation in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(V1_ROUTES.map((r) => r.route).sort()).toEqual(documented.sort());
  });

  it.each(cells.map((c) => [c.route.route, c.caller, c.status, c] as const))('%s as %s → %i', async (_name, caller, status, cell) => {
    const { path, init } = await cell.route.request();
    const res = await t.app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...headersFor(caller) } });
    expect(res.status, await res.clone().text()).toBe(status);
    if (status === 401) {
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="durable-checkout"/);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    }
    if (status === 403) expect(await res.json()).toMatchObject({ status: 403, code: 'forbidden' });
    // Someone else's checkout answers exactly as one that does not exist.
    if (status === 404) expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' });
    // Secure headers on every answer, errors included.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it.each([
    ['a Basic scheme', `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['Bearer without a key', 'Bearer'],
    ['Bearer with an empty key', 'Bearer '],
    ['a key with a stray character', `Bearer ${KEYS.merchant}x`],
    ['two keys', `Bearer ${KEYS.merchant} ${KEYS.operator}`],
    ['the key hash instead of the key', `Bearer 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`],
  ])('rejects %s with 401', async (_name, header) => {
    const res = await t.app.request('/v1/checkouts/chk_abc', { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('accepts the scheme name in any case', async () => {
    const res = await t.app.request('/v1/checkouts/chk_nosuch', { headers: { authorization: `bearer ${KEYS.merchant}` } });
    expect(res.status).toBe(404);
  });

  it('checks the key before reading the body (no key, invalid body → 401)', async () => {
    const res = await t.app.request('/v1/checkouts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(res.status).toBe(401);
  });
});

describe('rate limiting', () => {
  const PER_MINUTE = 2;
  const limitedApp = (now: () => number = () => 0) =>
    buildTestApp(database, { api: { rateLimitPerMinute: PER_MINUTE, publicUrl: 'http://localhost', ops: null }, now }).app;

  it.each(V1_ROUTES.map((r) => [r.route, r] as const))('answers %s with 429 and Retry-After once the merchant spent its budget', async (_name, route) => {
    const app = limitedApp();
    const call = async () => {
      const { path, init } = await route.request();
      return app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...auth(KEYS.merchant) } });
    };
    for (let i = 0; i < PER_MINUTE; i++) expect((await call()).status).not.toBe(429);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('refills over time, shares one budget across a merchant\'s keys, and leaves other merchants alone', async () => {
    let now = 1_000_000;
    const app = limitedApp(() => now);
    const get = (key: string) => app.request('/v1/checkouts/chk_nosuch', { headers: auth(key) });
    expect((await get(KEYS.merchant)).status).toBe(404);
    expect((await get(KEYS.merchantNext)).status).toBe(404);
    expect((await get(KEYS.merchant)).status).toBe(429);
    expect((await get(KEYS.merchantNext)).status).toBe(429);
    expect((await get(KEYS.otherMerchant)).status).toBe(404);
    now += 30_000;
    expect((await get(KEYS.merchant)).status).toBe(404);
    expect((await get(KEYS.merchant)).status).toBe(429);
  });

  it('limits unauthenticated requests per client address, so keys cannot be guessed at full speed', async () => {
    const app = limitedApp();
    const from = (address: string, headers: Record<string, string> = {}) =>
      app.request('/v1/checkouts/chk_nosuch', { headers }, { incoming: { socket: { remoteAddress: address } } });
    expect((await from('203.0.113.7')).status).toBe(401);
    expect((await from('203.0.113.7', auth(KEYS.unknown))).status).toBe(401);
    const refused = await from('203.0.113.7', auth('another_guess'));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'rate_limited', detail: expect.stringContaining('unauthenticated requests from this address') });
    expect((await from('198.51.100.2')).status).toBe(401);
    // A valid key from the same address has its own budget.
    expect((await from('203.0.113.7', auth(KEYS.merchant))).status).toBe(404);
  });

  it('sees the client address through the real HTTP server', async () => {
    const server = await startApiServer({ app: limitedApp(), host: '127.0.0.1', port: 0 });
    try {
      const statuses = [];
      for (let i = 0; i < PER_MINUTE + 1; i++) statuses.push((await fetch(`${server.url}/v1/checkouts/chk_nosuch`)).status);
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await server.close();
    }
  });

  it('does not count public routes against a key', async () => {
    const app = buildTestApp(database, { api: { rateLimitPerMinute: 1, publicUrl: 'http://localhost', ops: null }, now: () => 0 }).app;
    for (let i = 0; i < 5; i++) expect((await app.request('/healthz', { headers: auth() })).status).toBe(200);
    expect((await app.request('/v1/checkouts/chk_nosuch', { headers: auth() })).status).toBe(404);
  });
});

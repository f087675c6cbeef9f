/** Security: every route × {no key, unknown key, merchant key, operator key}, and per-key rate limiting. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

type Caller = 'none' | 'unknown' | 'merchant' | 'operator';
const callers: Caller[] = ['none', 'unknown', 'merchant', 'operator'];
const headersFor = (caller: Caller): Record<string, string> =>
  caller === 'none' ? {} : auth(caller === 'unknown' ? KEYS.unknown : caller === 'merchant' ? KEYS.merchant : KEYS.operator);

/** A fresh checkout in the given status, so state-changing routes can be called once per cell. */
async function freshCheckout(status: 'pending' | 'awaiting_review' = 'pending'): Promise<string> {
  const res = await postCheckout(t.app, validBody());
  const { id } = (await res.json()) as { id: string };
  if (status !== 'pending') t.checkouts.setStatus(id, status);
  return id;
}

interface RouteCase {
  name: string;
  request: () => Promise<{ path: string; init: RequestInit }>;
  expected: Record<Caller, number>;
}

const routes: RouteCase[] = [
  {
    name: 'POST /v1/checkouts',
    request: async () => ({ path: '/v1/checkouts', init: { method: 'POST', body: JSON.stringify(validBody()), headers: { 'content-type': 'application/json' } } }),
    expected: { none: 401, unknown: 401, merchant: 202, operator: 202 },
  },
  {
    name: 'GET /v1/checkouts/{id}',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout()}`, init: {} }),
    expected: { none: 401, unknown: 401, merchant: 200, operator: 200 },
  },
  {
    name: 'POST /v1/checkouts/{id}/cancel',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout()}/cancel`, init: { method: 'POST' } }),
    expected: { none: 401, unknown: 401, merchant: 202, operator: 202 },
  },
  {
    name: 'POST /v1/checkouts/{id}/review',
    request: async () => ({
      path: `/v1/checkouts/${await freshCheckout('awaiting_review')}/review`,
      init: { method: 'POST', body: JSON.stringify({ decision: 'approve' }), headers: { 'content-type': 'application/json' } },
    }),
    expected: { none: 401, unknown: 401, merchant: 403, operator: 200 },
  },
  {
    name: 'GET /v1/orders/{id}',
    request: async () => ({ path: '/v1/orders/ord_authmatrix', init: {} }),
    expected: { none: 401, unknown: 401, merchant: 200, operator: 200 },
  },
  {
    name: 'GET /v1/analytics/summary',
    request: async () => ({ path: '/v1/analytics/summary', init: {} }),
    expected: { none: 401, unknown: 401, merchant: 200, operator: 200 },
  },
  ...['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/docs/assets/swagger-ui.css', '/dashboard', '/dashboard/summary.json'].map((path) => ({
    name: `GET ${path} (public)`,
    request: async () => ({ path, init: {} }),
    expected: { none: 200, unknown: 200, merchant: 200, operator: 200 },
  })),
];

const cells = routes.flatMap((route) => callers.map((caller) => ({ route, caller, status: route.expected[caller] })));

describe('the auth matrix', () => {
  it.each(cells.map((c) => [c.route.name, c.caller, c.status, c] as const))('%s as %s → %i', async (_name, caller, status, cell) => {
    const { path, init } = await cell.route.request();
    const res = await t.app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...headersFor(caller) } });
    expect(res.status, await res.clone().text()).toBe(status);
    if (status === 401) {
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="durable-checkout"/);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    }
    if (status === 403) expect(await res.json()).toMatchObject({ status: 403, code: 'forbidden' });
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
  it('answers 429 with Retry-After once a key spends its budget, refills over time, and leaves other keys alone', async () => {
    let now = 1_000_000;
    const limited = buildTestApp(database, { api: { rateLimitPerMinute: 3, publicUrl: 'http://localhost' }, now: () => now });
    const get = (key: string) => limited.app.request('/v1/checkouts/chk_nosuch', { headers: auth(key) });

    for (let i = 0; i < 3; i++) expect((await get(KEYS.merchant)).status).toBe(404);
    const refused = await get(KEYS.merchant);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });

    expect((await get(KEYS.operator)).status).toBe(404);

    now += 20_000;
    expect((await get(KEYS.merchant)).status).toBe(404);
    expect((await get(KEYS.merchant)).status).toBe(429);
  });

  it('does not count public routes against a key', async () => {
    const limited = buildTestApp(database, { api: { rateLimitPerMinute: 1, publicUrl: 'http://localhost' }, now: () => 0 });
    for (let i = 0; i < 5; i++) expect((await limited.app.request('/healthz', { headers: auth() })).status).toBe(200);
    expect((await limited.app.request('/v1/checkouts/chk_nosuch', { headers: auth() })).status).toBe(404);
  });
});

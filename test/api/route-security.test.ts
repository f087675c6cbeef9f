/**
 * The security suite of every listener the service runs and of every route each one registers: the public
 * API (with and without OPS_PORT), the operations port, the subscribers' metrics port and the codec server.
 *
 * - Completeness by construction: each listener's registered routes (Hono's `app.routes`) are compared with
 *   the cases here, both ways, and the `/v1` cases with the OpenAPI document.
 * - Each caller that can reach a listener — no credentials, an unknown key, merchant keys, an operator key,
 *   and on the surfaces with browser sessions (dashboard, codec) a bogus session cookie, a session of the
 *   other surface and an operator's session — gets the answer its rights give it; a key a route does not
 *   accept is answered exactly as an unknown key, so nothing tells a merchant key from a wrong one there.
 * - Hardening on every surface: lookups by name reach no object prototype, every body is limited before it is
 *   read whole, every key check is rate limited per client address, and refused callers take no slot of the
 *   caps on long-held requests.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { defaultPayloadConverter } from '@temporalio/common';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../api/middleware/json-body.ts';
import { KEY_CHECKS_PER_MINUTE } from '../../api/middleware/operator-session.ts';
import { DASHBOARD_SESSION_COOKIE } from '../../api/operations/dashboard.ts';
import { startApiServer, type RunningApiServer } from '../../api/server.ts';
import { CODEC_SESSION_COOKIE } from '../../api/codec-server.ts';
import { payloadToJson } from '../../src/platform/codec/payload-json.ts';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { FakeCheckouts } from './support/fake-checkouts.ts';
import { buildTestCodecApp, buildTestOperationsApp, buildTestSubscriberOperationsApp, testDisplayCodec } from './support/listeners.ts';
import { auth, buildTestApp, completeCheckout, insertPaidOrder, KEYS, merchantIdOf, openTestDatabase, postCheckout, validBody } from './support/test-app.ts';
import { webhookDeliveries } from '../../src/platform/db/schema/index.ts';
import { deliveryIdOf } from '../../src/webhooks/deliveries.ts';

let database: DatabaseHandle;
/** The checkouts every build of the public API shares, so a checkout started on one is found on another. */
const checkouts = new FakeCheckouts();
/** The suite's public API, where the cases start their checkouts. */
let t: ReturnType<typeof buildTestApp>;
beforeAll(async () => {
  database = await openTestDatabase();
  t = buildPublicApi();
  await insertPaidOrder(database, { id: 'ord_authmatrix', checkoutId: 'chk_authmatrix', customerId: 'cus_1' });
}, 60_000);
afterAll(() => database?.close());

// ---------------------------------------------------------------------------------------------------------
// Listeners, built as their roles build them. Cookies as in production (served over https): `__Host-`, on
// path `/`, so a browser sends the dashboard's session cookie to /v1 too.

interface BuildOptions {
  /** The public API's requests per minute per key, and per address for failed authentications. */
  rateLimitPerMinute?: number;
  /** The public API's OPS_PORT: /metrics and the detailed /readyz move there. */
  ops?: boolean;
  maxWaitingRequests?: number;
  maxEventStreams?: number;
}

function buildPublicApi({ rateLimitPerMinute = 100_000, ops = false, maxWaitingRequests, maxEventStreams }: BuildOptions = {}) {
  return buildTestApp(database, {
    checkouts,
    api: { rateLimitPerMinute, publicUrl: 'https://pay.example.com', ops: ops ? { host: '127.0.0.1', port: 9464 } : null, secureCookies: true, maxWaitingRequests, maxEventStreams },
  });
}

/** What the suite needs of a Hono app. */
interface App {
  routes: { method: string; path: string }[];
  request(input: string, init?: RequestInit, env?: unknown): Response | Promise<Response>;
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/** The surfaces with browser sessions, and their cookies' names over https. */
type Surface = 'dashboard' | 'codec';
const SESSION_COOKIE: Record<Surface, string> = { dashboard: `__Host-${DASHBOARD_SESSION_COOKIE}`, codec: `__Host-${CODEC_SESSION_COOKIE}` };

/** The suite's instance of each listener, by name. */
const shared = new Map<string, App>();

// ---------------------------------------------------------------------------------------------------------
// Callers

type Caller = 'none' | 'unknown' | 'merchant' | 'otherMerchant' | 'operator' | 'bogusSession' | 'otherSurfaceSession' | 'operatorSession';
const KEY_CALLERS: readonly Caller[] = ['unknown', 'merchant', 'otherMerchant', 'operator'];
const isKeyCaller = (caller: Caller) => KEY_CALLERS.includes(caller);
const API_CALLERS: readonly Caller[] = ['none', 'unknown', 'merchant', 'otherMerchant', 'operator', 'bogusSession', 'otherSurfaceSession', 'operatorSession'];
const CODEC_CALLERS: readonly Caller[] = ['none', 'unknown', 'merchant', 'operator', 'bogusSession', 'otherSurfaceSession', 'operatorSession'];
/** The operations ports check no key: a key changes nothing there (and tells nothing). */
const OPS_CALLERS: readonly Caller[] = ['none', 'unknown', 'merchant', 'operator'];

/** What a caller sends: headers (a Bearer key, a session cookie), and the key a sign-in form would carry. */
interface Credentials {
  headers: Record<string, string>;
  key: string;
}

/** A client address of its own for each request, so the key-check budgets of one never spill into another. */
let addresses = 0;
const freshAddress = () => {
  addresses += 1;
  return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
};

/** `app.request` from `address`, as @hono/node-server hands the socket to the app. */
const send = (app: App, path: string, init: RequestInit = {}, address = freshAddress()) => app.request(path, init, { incoming: { socket: { remoteAddress: address } } });

const form = (key: string): RequestInit => ({ method: 'POST', body: new URLSearchParams({ key }) });

/** Signs an operator in on `surface` as a browser would, and returns the session cookie's name and value. */
async function openSession(surface: Surface): Promise<{ name: string; value: string }> {
  const [app, path] = surface === 'dashboard' ? [publicApp(), '/dashboard/login'] : [codecApp(), '/login'];
  const res = await send(app, path, form(KEYS.operator));
  const pair = res.headers.get('set-cookie')?.split(';')[0];
  if (!pair) throw new Error(`signing in at ${surface} ${path} gave no cookie (${res.status})`);
  const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
  expect(name).toBe(SESSION_COOKIE[surface]);
  return { name, value };
}

async function credentialsFor(caller: Caller, surface: Surface | null): Promise<Credentials> {
  if (caller === 'none') return { headers: {}, key: '' };
  if (isKeyCaller(caller)) {
    const key = KEYS[caller as 'unknown' | 'merchant' | 'otherMerchant' | 'operator'];
    return { headers: auth(key), key };
  }
  if (!surface) throw new Error(`${caller} needs a surface with sessions`);
  const cookie = (value: string) => ({ headers: { cookie: `${SESSION_COOKIE[surface]}=${value}` }, key: '' });
  if (caller === 'bogusSession') return cookie(randomBytes(32).toString('base64url'));
  // A live session, opened on the other surface: worth nothing here.
  if (caller === 'otherSurfaceSession') return cookie((await openSession(surface === 'dashboard' ? 'codec' : 'dashboard')).value);
  // A session of its own for every request: a sign-out in one must not end another's.
  return cookie((await openSession(surface)).value);
}

// ---------------------------------------------------------------------------------------------------------
// Cases

interface RouteCase {
  /** `METHOD /path` as Hono registers it (`:param`). */
  route: string;
  request: (credentials: Credentials) => Promise<{ path: string; init?: RequestInit }>;
  expected: Record<Caller, number>;
  /** Where a 303 sends the browser. */
  location?: string;
  /** Which per-address budget a wrong key spends: the public API's (/v1) or the operator pages' sign-in budget. */
  keyChecks?: 'api' | 'operator';
  /**
   * How the route treats a request body (every method but GET/HEAD must say): refused past `limit` bytes
   * (sent as `as`, who gets past the checks before it), or never read.
   */
  body?: { limit: number; as: Caller } | 'unread';
  /** More to check of an answer. */
  check?: (res: Response, caller: Caller) => Promise<void>;
}

const everyone = (status: number): Record<Caller, number> => Object.fromEntries(API_CALLERS.map((c) => [c, status])) as Record<Caller, number>;
/** Operators (a Bearer key or a session of this surface) get `ok`; everyone else one and the same refusal. */
const operatorsOnly = (ok: number, refused: number): Record<Caller, number> => ({ ...everyone(refused), operator: ok, operatorSession: ok });
/** /v1 takes keys only: a session cookie is no credential there (a cross-site form must not act with it). */
const keysOnly = (byKey: Record<'unknown' | 'merchant' | 'otherMerchant' | 'operator', number>): Record<Caller, number> => ({
  none: 401,
  bogusSession: 401,
  otherSurfaceSession: 401,
  operatorSession: 401,
  ...byKey,
});

/** A fresh checkout of the test merchant in the given status, so state-changing routes can be called once per cell. */
async function freshCheckout(status: 'pending' | 'awaiting_review' = 'pending'): Promise<string> {
  const res = await postCheckout(t.app, validBody());
  const { id } = (await res.json()) as { id: string };
  if (status !== 'pending') checkouts.setStatus(id, status);
  return id;
}

/** A webhook endpoint of the test merchant, registered through the API; its id. */
async function merchantEndpoint(): Promise<string> {
  const res = await t.app.request('/v1/webhook_endpoints', { ...json({ url: 'https://hooks.example.com/checkout', enabledEvents: ['*'] }), headers: { ...auth(), 'content-type': 'application/json' } });
  return ((await res.json()) as { id: string }).id;
}

/** A delivered event to the endpoint, as the webhooks subscriber leaves it; its id. */
async function deliveryTo(endpointId: string): Promise<string> {
  const id = deliveryIdOf(`evt_${randomBytes(6).toString('hex')}`, endpointId);
  const now = new Date();
  await database.db.insert(webhookDeliveries).values({ id, endpointId, merchantId: merchantIdOf(KEYS.merchant), eventId: 'evt_x', eventType: 'checkout.completed', checkoutId: 'chk_x', body: '{}', status: 'delivered', attempts: 1, nextAttemptAt: now, createdAt: now, deliveredAt: now });
  return id;
}

/** A completed checkout of the test merchant with one refund of 100; its id. */
async function refundedCheckout(): Promise<string> {
  const { id } = await completeCheckout(t, database);
  await refundOf(id);
  return id;
}

/** The checkout's first refund, made by the test merchant if it has none. */
async function refundOf(checkoutId: string): Promise<{ id: string }> {
  const listed = (await (await t.app.request(`/v1/checkouts/${checkoutId}/refunds`, { headers: auth() })).json()) as { data: { id: string }[] };
  if (listed.data[0]) return listed.data[0];
  return (await (await t.app.request(`/v1/checkouts/${checkoutId}/refunds`, { ...json({ amount: 100 }), headers: { ...auth(), 'content-type': 'application/json' } })).json()) as { id: string };
}

const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const get = (path: string) => async () => ({ path });

/** The resources belong to the test merchant (KEYS.merchant); another merchant must not learn they exist. */
const V1_ROUTES: RouteCase[] = [
  {
    route: 'POST /v1/checkouts',
    request: async () => ({ path: '/v1/checkouts', init: json(validBody()) }),
    expected: keysOnly({ unknown: 401, merchant: 202, otherMerchant: 202, operator: 202 }),
    keyChecks: 'api',
    body: { limit: MAX_BODY_BYTES, as: 'merchant' },
  },
  {
    route: 'GET /v1/checkouts/:id',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout()}` }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
  },
  {
    route: 'POST /v1/checkouts/:id/cancel',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout()}/cancel`, init: { method: 'POST' } }),
    expected: keysOnly({ unknown: 401, merchant: 202, otherMerchant: 404, operator: 202 }),
    keyChecks: 'api',
    body: { limit: MAX_BODY_BYTES, as: 'merchant' },
  },
  {
    // Reviews are an operator's call: merchants are refused before the checkout is looked up.
    route: 'POST /v1/checkouts/:id/review',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout('awaiting_review')}/review`, init: json({ decision: 'approve' }) }),
    expected: keysOnly({ unknown: 401, merchant: 403, otherMerchant: 403, operator: 200 }),
    keyChecks: 'api',
    body: { limit: MAX_BODY_BYTES, as: 'operator' },
  },
  {
    route: 'GET /v1/orders/:id',
    request: get('/v1/orders/ord_authmatrix'),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
  },
  {
    // Every merchant may list, and lists only its own (test/api/lists.test.ts): the matrix's order is the test merchant's.
    route: 'GET /v1/orders',
    request: get('/v1/orders?limit=100'),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 200, operator: 200 }),
    keyChecks: 'api',
    check: async (res, caller) => {
      if (res.status !== 200) return;
      const ids = ((await res.json()) as { data: { id: string }[] }).data.map((order) => order.id);
      expect(ids.includes('ord_authmatrix')).toBe(caller !== 'otherMerchant');
    },
  },
  {
    route: 'GET /v1/checkouts',
    request: get('/v1/checkouts'),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 200, operator: 200 }),
    keyChecks: 'api',
  },
  {
    // Each cell refunds a checkout of its own: a merchant's refund is admitted (201), another merchant's is a 404.
    route: 'POST /v1/checkouts/:id/refunds',
    request: async () => ({ path: `/v1/checkouts/${(await completeCheckout(t, database)).id}/refunds`, init: json({ amount: 100 }) }),
    expected: keysOnly({ unknown: 401, merchant: 201, otherMerchant: 404, operator: 201 }),
    keyChecks: 'api',
    body: { limit: MAX_BODY_BYTES, as: 'merchant' },
  },
  {
    route: 'GET /v1/checkouts/:id/refunds',
    request: async () => ({ path: `/v1/checkouts/${await refundedCheckout()}/refunds` }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
  },
  {
    route: 'GET /v1/refunds/:id',
    request: async () => ({ path: `/v1/refunds/${(await refundOf(await refundedCheckout())).id}` }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
  },
  {
    // Every merchant may list, and lists only its own refunds.
    route: 'GET /v1/refunds',
    request: async () => ({ path: `/v1/refunds?checkout_id=${await refundedCheckout()}` }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 200, operator: 200 }),
    keyChecks: 'api',
    check: async (res, caller) => {
      if (res.status !== 200) return;
      const listed = ((await res.json()) as { data: unknown[] }).data;
      expect(listed.length).toBe(caller === 'otherMerchant' ? 0 : 1);
    },
  },
  {
    // Endpoints are a merchant's to register; an operator key is refused before anything is read.
    route: 'POST /v1/webhook_endpoints',
    request: async () => ({ path: '/v1/webhook_endpoints', init: json({ url: 'https://hooks.example.com/checkout', enabledEvents: ['*'] }) }),
    expected: keysOnly({ unknown: 401, merchant: 201, otherMerchant: 201, operator: 403 }),
    keyChecks: 'api',
    body: { limit: MAX_BODY_BYTES, as: 'merchant' },
  },
  {
    route: 'GET /v1/webhook_endpoints',
    request: get('/v1/webhook_endpoints'),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 200, operator: 200 }),
    keyChecks: 'api',
  },
  {
    route: 'GET /v1/webhook_endpoints/:id',
    request: async () => ({ path: `/v1/webhook_endpoints/${await merchantEndpoint()}` }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
  },
  {
    route: 'DELETE /v1/webhook_endpoints/:id',
    request: async () => ({ path: `/v1/webhook_endpoints/${await merchantEndpoint()}`, init: { method: 'DELETE' } }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
    body: 'unread',
  },
  {
    // The secret is the merchant's: an operator key is refused, another merchant's answered as an unknown id.
    route: 'POST /v1/webhook_endpoints/:id/rotate_secret',
    request: async () => ({ path: `/v1/webhook_endpoints/${await merchantEndpoint()}/rotate_secret`, init: json({}) }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 403 }),
    keyChecks: 'api',
    body: { limit: MAX_BODY_BYTES, as: 'merchant' },
  },
  {
    route: 'POST /v1/webhook_endpoints/:id/enable',
    request: async () => ({ path: `/v1/webhook_endpoints/${await merchantEndpoint()}/enable`, init: { method: 'POST' } }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
    body: 'unread',
  },
  {
    route: 'GET /v1/webhook_endpoints/:id/deliveries',
    request: async () => ({ path: `/v1/webhook_endpoints/${await merchantEndpoint()}/deliveries` }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
  },
  {
    route: 'POST /v1/webhook_endpoints/:id/deliveries/:deliveryId/redeliver',
    request: async () => {
      const endpointId = await merchantEndpoint();
      return { path: `/v1/webhook_endpoints/${endpointId}/deliveries/${await deliveryTo(endpointId)}/redeliver`, init: { method: 'POST' } };
    },
    expected: keysOnly({ unknown: 401, merchant: 202, otherMerchant: 404, operator: 202 }),
    keyChecks: 'api',
    body: 'unread',
  },
  {
    route: 'GET /v1/checkouts/:id/notifications',
    request: async () => ({ path: `/v1/checkouts/${await freshCheckout()}/notifications` }),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 404, operator: 200 }),
    keyChecks: 'api',
  },
  {
    // Every merchant may read it, and reads only its own numbers (test/dashboard/analytics-routes.test.ts).
    route: 'GET /v1/analytics/summary',
    request: get('/v1/analytics/summary'),
    expected: keysOnly({ unknown: 401, merchant: 200, otherMerchant: 200, operator: 200 }),
    keyChecks: 'api',
  },
];

/** Public: health, documentation, problem types and the dashboard's static assets, which hold no data. */
const PUBLIC_ROUTES: RouteCase[] = [
  ['GET /healthz', '/healthz'],
  ['GET /openapi.json', '/openapi.json'],
  ['GET /docs', '/docs'],
  ['GET /docs/assets/init.js', '/docs/assets/init.js'],
  ['GET /docs/assets/:file', '/docs/assets/swagger-ui.css'],
  ['GET /problems/:code', '/problems/not_found'],
  ['GET /dashboard/assets/:name', '/dashboard/assets/dashboard.js'],
].map(([route, path]) => ({ route: route!, request: get(path!), expected: everyone(200) }));

const readyz = (body: unknown): RouteCase => ({
  route: 'GET /readyz',
  request: get('/readyz'),
  expected: everyone(200),
  check: async (res) => expect(await res.json()).toEqual(body),
});
const METRICS: RouteCase = {
  route: 'GET /metrics',
  request: get('/metrics'),
  expected: everyone(200),
  check: async (res) => expect(res.headers.get('content-type')).toMatch(/^text\/plain/),
};

const signIn = (route: string, path: string, ok: number, location?: string): RouteCase => ({
  // The caller's key goes in the form: a session cookie or a Bearer header beside an empty form signs nobody in.
  route,
  request: async ({ key }) => ({ path, init: form(key) }),
  expected: { ...everyone(401), operator: ok },
  ...(location ? { location } : {}),
  keyChecks: 'operator',
  // A sign-in form is one key (api/middleware/operator-session.ts, SIGN_IN_MAX_BYTES).
  body: { limit: 4 * 1024, as: 'none' },
});
const signOut = (route: string, path: string): RouteCase => ({
  // Anyone may sign out (a session that is not there ends quietly); the body is never read.
  route,
  request: async () => ({ path, init: { method: 'POST' } }),
  expected: everyone(204),
  body: 'unread',
});

const DASHBOARD_ROUTES: RouteCase[] = [
  // A browser without an operator session is sent to sign in; any other key is answered as none.
  { route: 'GET /dashboard', request: get('/dashboard'), expected: operatorsOnly(200, 303), location: '/dashboard/login', keyChecks: 'operator' },
  { route: 'GET /dashboard/login', request: get('/dashboard/login'), expected: everyone(200) },
  signIn('POST /dashboard/login', '/dashboard/login', 303, '/dashboard'),
  signOut('POST /dashboard/logout', '/dashboard/logout'),
  { route: 'GET /dashboard/summary.json', request: get('/dashboard/summary.json'), expected: operatorsOnly(200, 401), keyChecks: 'operator' },
  {
    route: 'GET /dashboard/events',
    request: get('/dashboard/events'),
    expected: operatorsOnly(200, 401),
    keyChecks: 'operator',
    check: async (res) => {
      if (res.status === 200) expect(res.headers.get('content-type')).toContain('text/event-stream');
    },
  },
];

/** What the codec server's callers try to read: a sealed payload of personal data. */
const SECRET = { email: 'secret.person@example.com' };
const sealed = async () => ({ payloads: (await testDisplayCodec().encode([defaultPayloadConverter.toPayload(SECRET)])).map(payloadToJson) });

const CODEC_ROUTES: RouteCase[] = [
  {
    route: 'POST /decode',
    request: async () => ({ path: '/decode', init: json(await sealed()) }),
    expected: operatorsOnly(200, 401),
    keyChecks: 'operator',
    // api/codec-server.ts, MAX_BODY_BYTES.
    body: { limit: 4 * 1024 * 1024, as: 'operator' },
    // Decoding itself is test/codec/codec-server.test.ts's: here, who gets plaintext back and who does not.
    check: async (res) => {
      const text = await res.text();
      if (res.status !== 200) expect(text).not.toContain('payloads');
      else expect((JSON.parse(text) as { payloads: unknown[] }).payloads).toHaveLength(1);
    },
  },
  { route: 'GET /login', request: get('/login'), expected: everyone(200) },
  signIn('POST /login', '/login', 200),
  signOut('POST /logout', '/logout'),
];

const PUBLIC_API_ROUTES = [...V1_ROUTES, ...PUBLIC_ROUTES, ...DASHBOARD_ROUTES];

interface Listener {
  name: string;
  /** A fresh instance: its own rate-limit budgets and caps. */
  build: (options?: BuildOptions) => App;
  /** The browser sessions it knows, if any. */
  surface: Surface | null;
  callers: readonly Caller[];
  cases: RouteCase[];
  /** Routes it must not serve: another build's or another listener's, or one left out on purpose. */
  absent: string[];
  /** Answers with nosniff, frame and referrer headers (the browser-facing listeners). */
  secureHeaders: boolean;
}

const LISTENERS: Listener[] = [
  {
    name: 'public API',
    build: (options) => buildPublicApi(options).app,
    surface: 'dashboard',
    callers: API_CALLERS,
    cases: [...PUBLIC_API_ROUTES, readyz({ status: 'ok', checks: { database: 'up' } }), METRICS],
    absent: [],
    secureHeaders: true,
  },
  {
    // With OPS_PORT, /metrics and the dependencies' names move to the operations port.
    name: 'public API with OPS_PORT',
    build: (options) => buildPublicApi({ ...options, ops: true }).app,
    surface: 'dashboard',
    callers: API_CALLERS,
    cases: [...PUBLIC_API_ROUTES, readyz({ status: 'ok' })],
    absent: ['GET /metrics'],
    secureHeaders: true,
  },
  {
    name: 'operations port (OPS_PORT)',
    build: () => buildTestOperationsApp(database),
    surface: null,
    callers: OPS_CALLERS,
    cases: [{ route: 'GET /healthz', request: get('/healthz'), expected: everyone(200) }, readyz({ status: 'ok', checks: { database: 'up' } }), METRICS],
    absent: [],
    secureHeaders: false,
  },
  {
    name: 'subscriber metrics port (SUBSCRIBER_METRICS_PORT)',
    build: () => buildTestSubscriberOperationsApp(database),
    surface: null,
    callers: OPS_CALLERS,
    cases: [{ route: 'GET /healthz', request: get('/healthz'), expected: everyone(200) }, readyz({ status: 'ok', checks: { nats: 'up', database: 'up' } }), METRICS],
    absent: [],
    secureHeaders: false,
  },
  {
    // There is no /encode: an operator's session must not forge input the workers would act on.
    name: 'codec server',
    build: () => buildTestCodecApp(database, { secureCookie: true }),
    surface: 'codec',
    callers: CODEC_CALLERS,
    cases: CODEC_ROUTES,
    absent: ['POST /encode', 'GET /dashboard'],
    secureHeaders: true,
  },
];
const listenerNamed = (name: string) => LISTENERS.find((l) => l.name === name)!;
/** The suite's instance of a listener (the public API's is `t`'s, where the cases start their checkouts). */
function appOf(listener: Listener): App {
  if (listener.name === 'public API') return t.app;
  if (!shared.has(listener.name)) shared.set(listener.name, listener.build());
  return shared.get(listener.name)!;
}
const publicApp = () => t.app;
const codecApp = () => appOf(listenerNamed('codec server'));

/** One request of `caller` to `route`. */
async function call(listener: Listener, route: RouteCase, caller: Caller, { app = appOf(listener), address = freshAddress() }: { app?: App; address?: string } = {}) {
  const credentials = await credentialsFor(caller, listener.surface);
  const { path, init = {} } = await route.request(credentials);
  return send(app, path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...credentials.headers } }, address);
}

const isStream = (res: Response) => res.headers.get('content-type')?.includes('text/event-stream') ?? false;
/** Ends an event stream, and its slot and the summary poller with it. */
const finish = async (res: Response) => {
  if (isStream(res)) await res.body?.cancel();
};

// ---------------------------------------------------------------------------------------------------------
// Completeness

/**
 * `METHOD /path` of every endpoint an app registered. `app.routes` lists a route's middleware beside its
 * handler (one entry each, under the same method and path), so entries are deduplicated; and `app.use`
 * middleware is listed under method `ALL`, as `app.all` endpoints would be. An `ALL` entry is taken for
 * middleware only when it is a wildcard that lets a request meant for no route through to the 404: anything
 * else under `ALL` answers requests itself, and needs a case of its own.
 */
async function endpointsOf(app: App): Promise<string[]> {
  const endpoints = new Set<string>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL' && (await passesThrough(app, path))) continue;
    endpoints.add(`${method} ${path}`);
  }
  return [...endpoints].sort();
}

async function passesThrough(app: App, path: string): Promise<boolean> {
  if (!path.endsWith('*')) return false;
  const probe = `${path.replace(/\*$/, '')}__no_such_route__`.replace(/^(?!\/)/, '/');
  for (const method of ['GET', 'POST', 'DELETE']) {
    const res = await send(app, probe, { method, headers: auth(KEYS.operator) });
    if (res.status !== 404) return false;
  }
  return true;
}

const names = (cases: RouteCase[]) => cases.map((c) => c.route).sort();

describe('every route of every listener', () => {
  it.each(LISTENERS.map((l) => [l.name, l] as const))('%s: a case for each route it registers, and none for a route it does not', async (_name, listener) => {
    const cases = names(listener.cases);
    expect(new Set(cases).size, 'one case per route').toBe(cases.length);
    expect(cases).toEqual(await endpointsOf(appOf(listener)));
  });

  it('has a case for every /v1 operation in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(names(V1_ROUTES)).toEqual(documented.sort());
  });

  it.each(LISTENERS.flatMap((l) => l.absent.map((route) => [l.name, route] as const)))('%s does not serve %s', async (name, route) => {
    const [method, path] = route.split(' ') as [string, string];
    const res = await send(appOf(listenerNamed(name)), path, { method, headers: auth(KEYS.operator) });
    expect(res.status).toBe(404);
  });

  it('finds an endpoint registered for ALL methods, and a wildcard that answers itself (the check can fail)', async () => {
    const app = new Hono();
    app.use('*', async (_c, next) => next());
    app.all('/webhook', (c) => c.text('ok'));
    app.use('/admin/*', async (c) => c.text('admin'));
    app.get('/a/:id', async (_c, next) => next(), (c) => c.text('a'));
    expect(await endpointsOf(app)).toEqual(['ALL /admin/*', 'ALL /webhook', 'GET /a/:id']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Every caller on every route

const cells = LISTENERS.flatMap((listener) =>
  listener.cases.flatMap((route) => listener.callers.map((caller) => ({ listener, route, caller, status: route.expected[caller] }))),
);

describe('every caller on every route', () => {
  it.each(cells.map((c) => [c.listener.name, c.route.route, c.caller, c.status, c] as const))('%s: %s as %s → %i', async (_l, _r, caller, status, { listener, route }) => {
    const res = await call(listener, route, caller);
    try {
      expect(res.status, isStream(res) ? '(a stream)' : await res.clone().text()).toBe(status);
      if (status === 303) expect(res.headers.get('location')).toBe(route.location);
      const problem = res.headers.get('content-type') === 'application/problem+json';
      if (status === 401 && problem) {
        expect(await res.clone().json()).toMatchObject({ status: 401, code: 'unauthorized' });
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="durable-checkout"/);
      }
      if (status === 403) expect(await res.clone().json()).toMatchObject({ status: 403, code: 'forbidden' });
      // Someone else's checkout answers exactly as one that does not exist.
      if (status === 404) expect(await res.clone().json()).toMatchObject({ status: 404, code: 'not_found' });
      // A cookie only for a successful sign-in, and the clearing one of a sign-out.
      const cookie = res.headers.get('set-cookie');
      if (route.route.endsWith('/logout')) expect(cookie).toMatch(/Max-Age=0/);
      else if (route.route.startsWith('POST') && route.route.endsWith('/login') && status < 400) {
        for (const attribute of [/^__Host-/, /; HttpOnly/, /; Secure/, /; SameSite=Strict/, /; Path=\//]) expect(cookie).toMatch(attribute);
      } else expect(cookie).toBeNull();
      if (listener.secureHeaders) {
        // Secure headers on every answer, errors and redirects included.
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      }
      await route.check?.(res, caller);
    } finally {
      await finish(res);
    }
  });

  /** What a caller can observe of an answer, but for the request id. */
  const observable = async (res: Response) => {
    const body = isStream(res) ? '(a stream)' : (await res.text()).replace(/"requestId":"[^"]*"/, '');
    await finish(res);
    return {
      status: res.status,
      location: res.headers.get('location'),
      wwwAuthenticate: res.headers.get('www-authenticate'),
      contentType: res.headers.get('content-type'),
      setCookie: res.headers.get('set-cookie'),
      body,
    };
  };

  // Keys are compared with an unknown key, cookies and no credentials with none: /v1 may tell "no key" from
  // "a wrong key" (it says which to fix), never a merchant key from a wrong one where both are refused.
  const sameAnswers = LISTENERS.flatMap((listener) =>
    listener.cases.flatMap((route) =>
      (['unknown', 'none'] as const).flatMap((anchor) => {
        if (!listener.callers.includes(anchor) || route.expected[anchor] < 300) return [];
        const peers = listener.callers.filter((c) => c !== anchor && isKeyCaller(c) === isKeyCaller(anchor) && route.expected[c] === route.expected[anchor]);
        return peers.map((peer) => [listener.name, route.route, peer, anchor, { listener, route }] as const);
      }),
    ),
  );

  it.each(sameAnswers)('%s: %s refuses %s exactly as %s', async (_l, _r, peer, anchor, { listener, route }) => {
    const [theirs, reference] = [await observable(await call(listener, route, peer)), await observable(await call(listener, route, anchor))];
    expect(theirs).toEqual(reference);
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

// ---------------------------------------------------------------------------------------------------------
// Lookups by name

describe('lookups by name reach no object prototype', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '%5F%5Fproto%5F%5F', '%5f%5fproto%5f%5f', 'constructor%2Eprototype', '..%2Fpackage.json', '..%2F..%2F..%2Fpackage.json'];
  const LOOKUPS = ['/dashboard/assets/', '/docs/assets/', '/problems/'];
  it.each(LOOKUPS.flatMap((base) => NAMES.map((name) => [`${base}${name}`] as const)))('GET %s → 404', async (path) => {
    const res = await send(publicApp(), path);
    expect(res.status, await res.clone().text()).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
  });

  // The sign-in forms read one field by name: other names, repeated or prototype ones, are no key.
  it.each([
    ['public API', '/dashboard/login'],
    ['codec server', '/login'],
  ])('%s: a sign-in form of prototype or other field names signs nobody in', async (name, path) => {
    for (const body of ['__proto__=x', 'constructor=x&toString=y', '__proto__%5Bkey%5D=x', 'key%5B%5D=x', 'key.__proto__=x']) {
      const res = await send(appOf(listenerNamed(name)), path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect(res.status, body).toBe(401);
      expect(res.headers.get('set-cookie'), body).toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Body limits

/** An endless body (no Content-Length) that counts how much of it was pulled. */
function endlessBody(chunk = 16 * 1024) {
  const pulled = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled.bytes += chunk;
        controller.enqueue(new Uint8Array(chunk).fill(0x78));
        if (pulled.bytes > 256 * 1024 * 1024) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulled, chunk };
}

const bodied = LISTENERS.flatMap((listener) => listener.cases.filter((c) => typeof c.body === 'object').map((route) => [listener.name, route.route, listener, route] as const));
/** The public API and the codec server once: the same routes serve both public builds. */
const bodiedOnce = bodied.filter(([name]) => name !== 'public API with OPS_PORT');

describe('request bodies', () => {
  it.each(LISTENERS.map((l) => [l.name, l] as const))('%s: every route but GET says how it treats a body', (_name, listener) => {
    const undeclared = listener.cases.filter((c) => !c.route.startsWith('GET ') && c.body === undefined).map((c) => c.route);
    expect(undeclared).toEqual([]);
  });

  it.each(bodiedOnce)('%s: %s refuses an endless body with 413 once past its limit, without reading on', async (_l, _r, listener, route) => {
    const { limit, as } = route.body as { limit: number; as: Caller };
    const { body, pulled, chunk } = endlessBody();
    const credentials = await credentialsFor(as, listener.surface);
    const { path, init = {} } = await route.request(credentials);
    const res = await send(appOf(listener), path, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), ...credentials.headers },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status, await res.clone().text()).toBe(413);
    if (res.headers.get('content-type') === 'application/problem+json') expect(await res.json()).toMatchObject({ code: 'payload_too_large' });
    expect(pulled.bytes).toBeGreaterThan(limit);
    expect(pulled.bytes).toBeLessThanOrEqual(limit + 2 * chunk);
  });

  it.each(bodiedOnce)('%s: %s refuses a declared Content-Length over its limit without reading a byte', async (_l, _r, listener, route) => {
    const { limit, as } = route.body as { limit: number; as: Caller };
    const { body, pulled } = endlessBody();
    const credentials = await credentialsFor(as, listener.surface);
    const { path, init = {} } = await route.request(credentials);
    const res = await send(appOf(listener), path, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), ...credentials.headers, 'content-length': String(limit + 1) },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(pulled.bytes).toBe(0);
  });

  const unread = LISTENERS.flatMap((listener) => listener.cases.filter((c) => c.body === 'unread').map((route) => [listener.name, route.route, listener, route] as const));
  it.each(unread)('%s: %s answers without reading a body', async (_l, _r, listener, route) => {
    const { body, pulled, chunk } = endlessBody();
    const { path, init = {} } = await route.request(await credentialsFor('none', listener.surface));
    const res = await send(appOf(listener), path, { ...init, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(route.expected.none);
    expect(pulled.bytes).toBeLessThanOrEqual(chunk);
  });

  describe('over HTTP', () => {
    const servers = new Map<string, RunningApiServer>();
    afterAll(async () => {
      await Promise.all([...servers.values()].map((s) => s.close({ graceMs: 0 })));
    });
    const serverOf = async (listener: Listener) => {
      if (!servers.has(listener.name)) servers.set(listener.name, await startApiServer({ app: appOf(listener), host: '127.0.0.1', port: 0 }));
      return servers.get(listener.name)!;
    };

    /** Sends the headers and the first KiB of a body declared a gigabyte long; resolves with the status once the server answers. */
    const declareHugeBody = (url: string, path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(new URL(path, url), { method: 'POST', headers: { ...headers, 'content-length': String(2 ** 30) } }, (res) => {
          resolve(res.statusCode!);
          res.resume();
          req.destroy();
        });
        req.on('error', reject);
        req.write(Buffer.alloc(1024, 0x78));
      });

    it.each(bodiedOnce)('%s: %s answers 413 to a huge declared body without waiting for it', async (_l, _r, listener, route) => {
      const { as } = route.body as { limit: number; as: Caller };
      const credentials = await credentialsFor(as, listener.surface);
      const { path, init = {} } = await route.request(credentials);
      const server = await serverOf(listener);
      const headers = { ...(init.headers as Record<string, string> | undefined), ...credentials.headers };
      expect(await declareHugeBody(server.url, path, headers)).toBe(413);
    }, 10_000);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Rate limits

describe('rate limiting', () => {
  const PER_MINUTE = 2;
  const limitedApp = (now: () => number = () => 0) =>
    buildTestApp(database, { api: { rateLimitPerMinute: PER_MINUTE, publicUrl: 'http://localhost', ops: null }, now }).app;

  // Every route that checks a key, on every listener: wrong keys spend a budget per client address, the
  // next one is answered 429 with Retry-After, and another address still gets its answer.
  const keyChecking = LISTENERS.filter((l) => l.name !== 'public API with OPS_PORT').flatMap((listener) =>
    listener.cases.filter((c) => c.keyChecks).map((route) => [listener.name, route.route, listener, route] as const),
  );

  it.each(keyChecking)('%s: %s limits wrong keys per client address', async (_l, _r, listener, route) => {
    const app = listener.build({ rateLimitPerMinute: PER_MINUTE });
    const budget = route.keyChecks === 'api' ? PER_MINUTE : KEY_CHECKS_PER_MINUTE;
    const guesser = freshAddress();
    for (let i = 0; i < budget; i += 1) {
      const res = await call(listener, route, 'unknown', { app, address: guesser });
      expect(res.status).toBe(route.expected.unknown);
    }
    const refused = await call(listener, route, 'unknown', { app, address: guesser });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((await call(listener, route, 'unknown', { app, address: freshAddress() })).status).toBe(route.expected.unknown);
  });

  it.each(V1_ROUTES.map((r) => [r.route, r] as const))('answers %s with 429 and Retry-After once the merchant spent its budget', async (_name, route) => {
    const app = limitedApp();
    const spend = async () => {
      const { path, init = {} } = await route.request({ headers: auth(KEYS.merchant), key: KEYS.merchant });
      return app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...auth(KEYS.merchant) } });
    };
    for (let i = 0; i < PER_MINUTE; i++) expect((await spend()).status).not.toBe(429);
    const refused = await spend();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('ratelimit-policy')).toBe(`"key";q=${PER_MINUTE};w=60`);
    expect(refused.headers.get('ratelimit')).toBe('"key";r=0;t=30');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('tells a client its budget on every answer, in the IETF RateLimit fields and the X-RateLimit ones', async () => {
    const app = limitedApp();
    const first = await app.request('/v1/checkouts/chk_nosuch', { headers: auth(KEYS.merchant) });
    expect(first.status).toBe(404);
    expect(first.headers.get('ratelimit-policy')).toBe(`"key";q=${PER_MINUTE};w=60`);
    // One of two spent: the bucket is full again after half a minute.
    expect(first.headers.get('ratelimit')).toBe('"key";r=1;t=30');
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
    const second = await app.request('/v1/checkouts/chk_nosuch', { headers: auth(KEYS.merchant) });
    expect(second.headers.get('ratelimit')).toBe('"key";r=0;t=60');
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
    expect(refused.headers.get('ratelimit-policy')).toBe(`"address";q=${PER_MINUTE};w=60`);
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

// ---------------------------------------------------------------------------------------------------------
// Caps on long-held requests

/**
 * The caps themselves are tested where the requests are: `Prefer: wait` past MAX_WAITING_REQUESTS answers the
 * 202 at once (test/api/sync-mode.test.ts, "holds at most MAX_WAITING_REQUESTS at once"), and an event stream
 * past MAX_EVENT_STREAMS answers 503 with Retry-After (test/dashboard/analytics-routes.test.ts, "dashboard
 * event streams"). What is checked here: a caller that is refused takes no slot, so strangers cannot use the
 * caps up.
 */
describe('caps on long-held requests', () => {
  it('lets no refused caller hold a dashboard event stream slot', async () => {
    const app = buildPublicApi({ maxEventStreams: 1 }).app;
    const streams = DASHBOARD_ROUTES.find((r) => r.route === 'GET /dashboard/events')!;
    const listener = listenerNamed('public API');
    for (const caller of ['none', 'unknown', 'merchant', 'bogusSession', 'otherSurfaceSession'] as const) {
      for (let i = 0; i < 3; i += 1) expect((await call(listener, streams, caller, { app })).status).toBe(401);
    }
    const open = await call(listener, streams, 'operatorSession', { app });
    try {
      expect(open.status).toBe(200);
      expect((await call(listener, streams, 'operator', { app })).status).toBe(503);
      // Past the cap, refused callers are still told 401, not how busy the page is.
      expect((await call(listener, streams, 'merchant', { app })).status).toBe(401);
    } finally {
      await finish(open);
    }
  });

  it('lets no refused caller hold a Prefer: wait slot', async () => {
    const built = buildPublicApi({ maxWaitingRequests: 1 });
    const refused: Record<string, string>[] = [{}, auth(KEYS.unknown), { cookie: `${SESSION_COOKIE.dashboard}=${(await openSession('dashboard')).value}` }];
    for (const headers of refused) {
      for (let i = 0; i < 3; i += 1) {
        const res = await send(built.app, '/v1/checkouts', { ...json(validBody()), headers: { 'content-type': 'application/json', prefer: 'wait=30', ...headers } });
        expect(res.status).toBe(401);
      }
    }
    const waited = await postCheckout(built.app, validBody(), { prefer: 'wait=30' });
    expect(waited.headers.get('preference-applied')).toBe('wait=30');
  });
});

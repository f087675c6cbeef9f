/** The checkout routes on the happy path and at their edges, against the fake port: what reaches the saga, what comes back. */
import { Writable } from 'node:stream';
import { HTTPException } from 'hono/http-exception';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { workflowPageBase as workflowPageBaseOf } from '../../src/config/index.ts';
import { CheckoutStartUnsettledError, CheckoutsUnavailableError } from '../../src/checkouts/temporal-checkouts.ts';
import { createCheckoutClient } from '../../src/client/index.ts';
import { auth, buildTestApp, insertPaidOrder, KEYS, postCheckout, type TestApp, validBody, withTestApp } from './support/test-app.ts';

let database: DatabaseHandle;
let t: TestApp;
withTestApp((opened) => {
  ({ database, t } = opened);
});

const create = async (body: unknown = validBody()) => {
  const res = await postCheckout(t.app, body);
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
};

describe('POST /v1/checkouts', () => {
  it('answers 202 with the id, status and a link, and starts the saga with server-side prices', async () => {
    const res = await postCheckout(t.app, { ...validBody(), items: [{ sku: 'SKU-MUG', quantity: 2 }, { sku: 'SKU-STICKER', quantity: 1 }, { sku: 'SKU-MUG', quantity: 1 }] });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string; links: { self: string } };
    expect(body).toEqual({ id: expect.stringMatching(/^chk_[0-9a-z]{20}$/), status: 'pending', links: { self: `http://localhost/v1/checkouts/${body.id}` } });
    expect(res.headers.get('location')).toBe(`/v1/checkouts/${body.id}`);

    const input = t.checkouts.started.find((s) => s.checkoutId === body.id)!;
    expect(input).toMatchObject({
      checkoutId: body.id,
      merchantId: expect.stringMatching(/^mer_/),
      customer: validBody().customer,
      items: [
        { sku: 'SKU-MUG', name: 'Enamel mug', quantity: 3, unitAmount: 1999 },
        { sku: 'SKU-STICKER', name: 'Sticker pack', quantity: 1, unitAmount: 499 },
      ],
      amount: { total: 3 * 1999 + 499, currency: 'USD' },
      paymentToken: 'tok_visa',
      shippingAddress: validBody().shippingAddress,
      reviewTimeoutMs: 60_000,
    });
    expect(Date.parse(input.createdAt)).not.toBeNaN();
  });

  it("carries the customer's phone, device token and channel preferences to the saga", async () => {
    const customer = { ...validBody().customer, phone: '+15551234567', deviceToken: 'fcm:device_token-1.a', notify: ['push', 'sms', 'email'] };
    const res = await postCheckout(t.app, { ...validBody(), customer });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(t.checkouts.started.find((s) => s.checkoutId === id)!.customer).toEqual(customer);
  });

  it("carries the merchant's metadata and reference to the saga, and reads them back", async () => {
    const metadata = { order: 'A-1042', channel: 'web' };
    const id = await create({ ...validBody(), metadata, clientReferenceId: 'order-1042' });
    expect(t.checkouts.started.find((s) => s.checkoutId === id)).toMatchObject({ metadata, clientReferenceId: 'order-1042' });
    const read = (await (await t.app.request(`/v1/checkouts/${id}`, { headers: auth() })).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ metadata, clientReferenceId: 'order-1042' });

    const plain = (await (await t.app.request(`/v1/checkouts/${await create()}`, { headers: auth() })).json()) as Record<string, unknown>;
    expect(plain).toMatchObject({ metadata: {}, clientReferenceId: null });
  });

  it('names the metadata key that is too long', async () => {
    const res = await postCheckout(t.app, { ...validBody(), metadata: { ['k'.repeat(41)]: 'v' } });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([{ path: `metadata.${'k'.repeat(41)}`, message: 'a metadata key must have 1 to 40 characters' }]);
  });

  it('gives every key its own merchant id, and operators theirs', async () => {
    const a = await create();
    const res = await postCheckout(t.app, validBody(), auth(KEYS.operator));
    const b = ((await res.json()) as { id: string }).id;
    const [ia, ib] = [a, b].map((id) => t.checkouts.started.find((s) => s.checkoutId === id)!);
    expect(ia!.merchantId).toMatch(/^mer_/);
    expect(ib!.merchantId).toMatch(/^opr_/);
  });

  it('builds links and the OpenAPI servers from the configured public URL, never from the Host header', async () => {
    const other = buildTestApp(database, { api: { rateLimitPerMinute: 1000, publicUrl: 'https://pay.example.com/', ops: null } });
    const res = await postCheckout(other.app, validBody(), { host: 'evil.example' });
    const body = (await res.json()) as { id: string; links: { self: string } };
    expect(body.links.self).toBe(`https://pay.example.com/v1/checkouts/${body.id}`);
    const spoofed = await other.app.request('http://evil.example/openapi.json', { headers: { host: 'evil.example' } });
    expect(((await spoofed.json()) as { servers: { url: string }[] }).servers).toEqual([{ url: 'https://pay.example.com' }]);
  });

  it("links an operator's new checkout to its page in the Temporal Web UI when the UI is known (TEMPORAL_UI_URL), never a merchant's", async () => {
    const workflowPageBase = workflowPageBaseOf('http://127.0.0.1:8233/', 'default');
    const withUi = buildTestApp(database, { api: { rateLimitPerMinute: 1000, publicUrl: 'http://localhost', ops: null, workflowPageBase } });
    const operators = (await (await postCheckout(withUi.app, validBody(), auth(KEYS.operator))).json()) as { id: string; links: { workflow?: string } };
    expect(operators.links.workflow).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/checkout-${operators.id}`);
    const merchants = (await (await postCheckout(withUi.app, validBody())).json()) as { links: Record<string, string> };
    expect(Object.keys(merchants.links)).toEqual(['self']);
    const without = (await (await postCheckout(t.app, validBody(), auth(KEYS.operator))).json()) as { links: Record<string, string> };
    expect(Object.keys(without.links)).toEqual(['self']);
  });

  it('offers no example Idempotency-Key for the docs page to fill in for every visitor', async () => {
    const spec = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: { name: string; example?: unknown; schema?: { example?: unknown } }[] }>> };
    const key = spec.paths['/v1/checkouts']!.post!.parameters!.find((p) => p.name === 'idempotency-key');
    expect(key).toBeDefined();
    expect(key!.example).toBeUndefined();
    expect(key!.schema?.example).toBeUndefined();
  });

  it('answers 503 with Retry-After when Temporal cannot start the saga', async () => {
    const down = buildTestApp(database);
    down.checkouts.failWith = new CheckoutsUnavailableError('Temporal is unavailable: connect ECONNREFUSED 127.0.0.1:7233');
    const res = await postCheckout(down.app, validBody());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const problem = await res.json();
    expect(problem).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(JSON.stringify(problem)).not.toContain('7233');
  });

  it('answers a start it could not settle with 503 naming the checkout that may be running, at its Location', async () => {
    const unsure = buildTestApp(database);
    unsure.checkouts.failWith = new CheckoutStartUnsettledError('chk_maybe', { cause: new Error('4 DEADLINE_EXCEEDED') });
    const res = await postCheckout(unsure.app, validBody());
    expect(res.status).toBe(503);
    expect(res.headers.get('location')).toBe('/v1/checkouts/chk_maybe');
    expect(await res.json()).toMatchObject({ code: 'service_unavailable', detail: expect.stringContaining('chk_maybe') });
  });

  it('answers an unexpected failure with a generic 500 that shows no internals', async () => {
    const broken = buildTestApp(database);
    broken.checkouts.failWith = new Error('password=hunter2 at /srv/app/secret.ts:12');
    const res = await postCheckout(broken.app, validBody());
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ type: '/problems/internal_error', title: 'Internal server error', status: 500, code: 'internal_error' });
    expect(text).not.toMatch(/hunter2|secret\.ts|at \//);
  });
});

describe('GET /v1/checkouts/{id}', () => {
  it('returns the checkout object', async () => {
    const id = await create();
    const res = await t.app.request(`/v1/checkouts/${id}`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: 'pending', amount: { total: 3998, currency: 'USD' }, customerId: 'cus_123' });
  });

  it('answers 404 for an unknown checkout', async () => {
    const res = await t.app.request('/v1/checkouts/chk_unknown0000000000000', { headers: auth() });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found', detail: 'No checkout chk_unknown0000000000000.' });
  });
});

describe('the typed client (src/client)', () => {
  it('starts a checkout with metadata and reads it back, typed end to end against the app', async () => {
    const api = createCheckoutClient('http://localhost', KEYS.merchant, { fetch: (request) => Promise.resolve(t.app.request(request)) });
    const created = await api.POST('/v1/checkouts', { body: { ...validBody(), metadata: { order: 'A-7' }, clientReferenceId: 'order-7' } });
    expect(created.response.status).toBe(202);
    const id = created.data!.id;
    const read = await api.GET('/v1/checkouts/{id}', { params: { path: { id } } });
    expect(read.data).toMatchObject({ id, status: 'pending', metadata: { order: 'A-7' }, clientReferenceId: 'order-7' });
    const missing = await api.GET('/v1/checkouts/{id}', { params: { path: { id: 'chk_nosuch' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ code: 'not_found' });
  });
});

describe('conditional reads', () => {
  it('answers a read with an ETag, and 304 while the checkout is unchanged', async () => {
    const id = await create();
    const first = await t.app.request(`/v1/checkouts/${id}`, { headers: auth() });
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^"[0-9a-f]+"$/);
    const again = await t.app.request(`/v1/checkouts/${id}`, { headers: { ...auth(), 'if-none-match': tag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(tag);
    expect(again.headers.get('x-request-id')).toBeTruthy();
    expect(again.headers.get('ratelimit')).toMatch(/^"key";r=\d+;t=\d+$/);

    expect((await t.app.request(`/v1/checkouts/${id}/cancel`, { method: 'POST', headers: auth() })).status).toBe(202);
    const changed = await t.app.request(`/v1/checkouts/${id}`, { headers: { ...auth(), 'if-none-match': tag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
  });
});

describe('POST /v1/checkouts/{id}/cancel', () => {
  it('answers 202 with the checkout, passing the reason on', async () => {
    const id = await create();
    const res = await t.app.request(`/v1/checkouts/${id}/cancel`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'customer changed their mind' }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id, status: 'compensating' });
    expect(t.checkouts.commands.at(-1)).toEqual({ kind: 'cancel', checkoutId: id, args: { reason: 'customer changed their mind' } });
  });

  it('accepts no body, and an empty JSON body', async () => {
    for (const init of [{}, { headers: { 'content-type': 'application/json' }, body: '' }]) {
      const id = await create();
      const res = await t.app.request(`/v1/checkouts/${id}/cancel`, { method: 'POST', ...init, headers: { ...auth(), ...init.headers } });
      expect(res.status).toBe(202);
    }
  });

  it('answers 409 when the saga refuses (e.g. payment captured)', async () => {
    const id = await create();
    t.checkouts.setStatus(id, 'completed');
    const res = await t.app.request(`/v1/checkouts/${id}/cancel`, { method: 'POST', headers: auth() });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'conflict', status: 409, detail: expect.stringContaining('completed') });
  });

  it('answers 404 for an unknown checkout', async () => {
    expect((await t.app.request('/v1/checkouts/chk_nosuchcheckout/cancel', { method: 'POST', headers: auth() })).status).toBe(404);
  });
});

describe('POST /v1/checkouts/{id}/review', () => {
  const review = (id: string, body: unknown, key: string = KEYS.operator) =>
    t.app.request(`/v1/checkouts/${id}/review`, { method: 'POST', headers: { ...auth(key), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('records an operator decision with the operator identity', async () => {
    const id = await create();
    t.checkouts.setStatus(id, 'awaiting_review');
    const res = await review(id, { decision: 'reject', note: 'stolen card pattern' });
    expect(res.status).toBe(200);
    expect(t.checkouts.commands.at(-1)).toEqual({
      kind: 'review',
      checkoutId: id,
      args: { decision: 'reject', note: 'stolen card pattern', operator: 'opr_test' },
    });
  });

  it("records the same operator whichever of its keys made the decision, so rotating a key keeps the operator's id", async () => {
    const id = await create();
    t.checkouts.setStatus(id, 'awaiting_review');
    expect((await review(id, { decision: 'approve' }, KEYS.operatorNext)).status).toBe(200);
    expect(t.checkouts.commands.at(-1)).toMatchObject({ kind: 'review', args: { operator: 'opr_test' } });
  });

  it('answers 409 when the checkout is not awaiting review', async () => {
    const id = await create();
    const res = await review(id, { decision: 'approve' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'conflict', detail: expect.stringContaining('not awaiting review') });
  });

  it('answers 404 for an unknown checkout', async () => {
    expect((await review('chk_nosuchcheckout', { decision: 'approve' })).status).toBe(404);
  });
});

describe('GET /v1/orders/{id}', () => {
  it('returns the order of a completed checkout', async () => {
    await insertPaidOrder(database, { id: 'ord_readme', checkoutId: 'chk_readme', captureId: 'cap_1' });
    const res = await t.app.request('/v1/orders/ord_readme', { headers: auth() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: 'ord_readme',
      checkoutId: 'chk_readme',
      status: 'paid',
      amount: { total: 3998, currency: 'USD' },
      items: [{ sku: 'SKU-MUG', quantity: 2, unitAmount: 1999 }],
      captureId: 'cap_1',
      createdAt: expect.stringMatching(/Z$/),
    });
  });

  it('answers 404 for an unknown order', async () => {
    expect((await t.app.request('/v1/orders/ord_nosuchorder', { headers: auth() })).status).toBe(404);
  });
});

describe('the error handler', () => {
  it('turns HTTP exceptions from middleware into problems with their status', async () => {
    const local = buildTestApp(database);
    local.app.get('/boom/http', () => {
      throw new HTTPException(409, { message: 'already there' });
    });
    local.app.get('/boom/type', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'secret')");
    });
    const conflict = await local.app.request('/boom/http');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: 'conflict', detail: 'already there' });
    const crash = await local.app.request('/boom/type');
    expect(crash.status).toBe(500);
    expect(await crash.text()).not.toContain('secret');
  });
});

describe('request ids and logs', () => {
  it('echoes a client X-Request-Id, makes one otherwise, and puts it in problems', async () => {
    const given = await t.app.request('/v1/checkouts/chk_nosuch', { headers: { ...auth(), 'x-request-id': 'req-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc-123');
    expect(await given.json()).toMatchObject({ requestId: 'req-abc-123' });
    const made = await t.app.request('/healthz');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one line per request with route, status, duration and checkout id, and never the token or email', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const logged = buildTestApp(database, { logger: pino({ level: 'info' }, sink) });
    const res = await postCheckout(logged.app, { ...validBody(), payment: { token: 'tok_secretvalue' } });
    const { id } = (await res.json()) as { id: string };
    await new Promise((resolve) => setImmediate(resolve));

    const line = lines.find((l) => l.msg === 'request');
    expect(line).toMatchObject({ method: 'POST', route: '/v1/checkouts', status: 202, checkoutId: id, requestId: expect.any(String), durationMs: expect.any(Number) });
    const all = JSON.stringify(lines);
    expect(all).not.toContain('tok_secretvalue');
    expect(all).not.toContain('ada@example.com');
    expect(all).not.toContain(KEYS.merchant);
  });
});

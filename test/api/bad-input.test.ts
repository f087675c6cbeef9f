/** Bad input gets a clear problem+json answer and starts nothing: one table row per way a request can be wrong. */
import { describe, expect, it } from 'vitest';
import { auth, KEYS, type TestApp, validBody, withTestApp } from './support/test-app.ts';

let t: TestApp;
withTestApp((opened) => {
  ({ t } = opened);
});

const body = validBody();
const item = body.items[0]!;

interface Case {
  name: string;
  /** A JSON value, or a raw string sent as is. */
  body: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** Paths that must all be listed in `errors`. */
  paths?: string[];
}

const cases: Case[] = [
  { name: 'malformed JSON', body: '{"customer": {', status: 400, code: 'malformed_json' },
  { name: 'an empty body', body: '', status: 400, code: 'malformed_json' },
  { name: 'trailing garbage after JSON', body: `${JSON.stringify(body)} x`, status: 400, code: 'malformed_json' },
  { name: 'a JSON array instead of an object', body: [], status: 400, code: 'invalid_request', paths: [''] },
  { name: 'JSON null', body: 'null', status: 400, code: 'invalid_request', paths: [''] },
  {
    name: 'an empty object (every required field named)',
    body: {},
    status: 400,
    code: 'invalid_request',
    paths: ['customer', 'items', 'currency', 'payment', 'shippingAddress'],
  },
  { name: 'an unknown top-level field', body: { ...body, coupon: 'FREE' }, status: 400, code: 'invalid_request', paths: ['coupon'] },
  {
    name: 'a client-supplied price',
    body: { ...body, items: [{ ...item, unitAmount: 1 }] },
    status: 400,
    code: 'invalid_request',
    paths: ['items.0.unitAmount'],
  },
  { name: 'a client-supplied total', body: { ...body, amount: { total: 1, currency: 'USD' } }, status: 400, code: 'invalid_request', paths: ['amount'] },
  { name: 'a quantity of 0', body: { ...body, items: [{ ...item, quantity: 0 }] }, status: 400, code: 'invalid_request', paths: ['items.0.quantity'] },
  { name: 'a negative quantity', body: { ...body, items: [{ ...item, quantity: -3 }] }, status: 400, code: 'invalid_request', paths: ['items.0.quantity'] },
  { name: 'a quantity of 1001', body: { ...body, items: [{ ...item, quantity: 1001 }] }, status: 400, code: 'invalid_request', paths: ['items.0.quantity'] },
  { name: 'a fractional quantity', body: { ...body, items: [{ ...item, quantity: 1.5 }] }, status: 400, code: 'invalid_request', paths: ['items.0.quantity'] },
  { name: 'a quantity as a string', body: { ...body, items: [{ ...item, quantity: '2' }] }, status: 400, code: 'invalid_request', paths: ['items.0.quantity'] },
  { name: 'a quantity of 1e400 (Infinity)', body: `{"customer":{"id":"c","email":"a@b.co"},"items":[{"sku":"SKU-MUG","quantity":1e400}],"currency":"USD","payment":{"token":"tok_visa"},"shippingAddress":{"line1":"1","city":"c","postalCode":"1","country":"US"}}`, status: 400, code: 'invalid_request', paths: ['items.0.quantity'] },
  { name: 'no items', body: { ...body, items: [] }, status: 400, code: 'invalid_request', paths: ['items'] },
  { name: '101 items', body: { ...body, items: Array.from({ length: 101 }, () => item) }, status: 400, code: 'invalid_request', paths: ['items'] },
  {
    name: 'several problems at once (all listed)',
    body: {
      ...body,
      customer: { id: 'cus_1', email: 'not-an-email' },
      items: [{ sku: 'SKU-MUG', quantity: 0 }, { sku: 'SKU-TEE', quantity: 5000 }],
      currency: 'usd',
      shippingAddress: { ...body.shippingAddress, country: 'USA', planet: 'Earth' },
    },
    status: 400,
    code: 'invalid_request',
    paths: ['customer.email', 'items.0.quantity', 'items.1.quantity', 'currency', 'shippingAddress.country', 'shippingAddress.planet'],
  },
  { name: 'an invalid email', body: { ...body, customer: { ...body.customer, email: 'ada' } }, status: 400, code: 'invalid_request', paths: ['customer.email'] },
  { name: 'a phone number without a country code', body: { ...body, customer: { ...body.customer, phone: '5551234567' } }, status: 400, code: 'invalid_request', paths: ['customer.phone'] },
  { name: 'a phone number with spaces', body: { ...body, customer: { ...body.customer, phone: '+1 555 123 4567' } }, status: 400, code: 'invalid_request', paths: ['customer.phone'] },
  { name: 'a device token of 513 characters', body: { ...body, customer: { ...body.customer, deviceToken: 'd'.repeat(513) } }, status: 400, code: 'invalid_request', paths: ['customer.deviceToken'] },
  { name: 'SMS without a phone number', body: { ...body, customer: { ...body.customer, notify: ['sms', 'email'] } }, status: 400, code: 'invalid_request', paths: ['customer.phone'] },
  { name: 'push without a device token', body: { ...body, customer: { ...body.customer, notify: ['push'] } }, status: 400, code: 'invalid_request', paths: ['customer.deviceToken'] },
  { name: 'a channel listed twice', body: { ...body, customer: { ...body.customer, notify: ['email', 'email'] } }, status: 400, code: 'invalid_request', paths: ['customer.notify'] },
  { name: 'an unknown channel', body: { ...body, customer: { ...body.customer, notify: ['fax'] } }, status: 400, code: 'invalid_request', paths: ['customer.notify.0'] },
  { name: 'a missing payment token', body: { ...body, payment: {} }, status: 400, code: 'invalid_request', paths: ['payment.token'] },
  { name: 'a lower-case currency', body: { ...body, currency: 'usd' }, status: 400, code: 'invalid_request', paths: ['currency'] },
  { name: 'a "__proto__" field', body: `{"__proto__":{"admin":true},${JSON.stringify(body).slice(1)}`, status: 400, code: 'invalid_request', paths: ['__proto__'] },
  { name: 'metadata with 21 keys', body: { ...body, metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }, status: 400, code: 'invalid_request', paths: ['metadata'] },
  { name: 'a metadata key of 41 characters', body: { ...body, metadata: { ['k'.repeat(41)]: 'v' } }, status: 400, code: 'invalid_request', paths: [`metadata.${'k'.repeat(41)}`] },
  { name: 'a metadata value of 501 characters', body: { ...body, metadata: { order: 'v'.repeat(501) } }, status: 400, code: 'invalid_request', paths: ['metadata.order'] },
  { name: 'a metadata value that is a number', body: { ...body, metadata: { order: 42 } }, status: 400, code: 'invalid_request', paths: ['metadata.order'] },
  { name: 'metadata that is a list', body: { ...body, metadata: ['order'] }, status: 400, code: 'invalid_request', paths: ['metadata'] },
  { name: 'a metadata key "__proto__"', body: `${JSON.stringify(body).slice(0, -1)},"metadata":{"__proto__":"x"}}`, status: 400, code: 'invalid_request', paths: ['metadata.__proto__'] },
  { name: 'an empty clientReferenceId', body: { ...body, clientReferenceId: '' }, status: 400, code: 'invalid_request', paths: ['clientReferenceId'] },
  { name: 'a clientReferenceId of 201 characters', body: { ...body, clientReferenceId: 'r'.repeat(201) }, status: 400, code: 'invalid_request', paths: ['clientReferenceId'] },
  { name: 'a SKU the catalog does not have', body: { ...body, items: [{ sku: 'SKU-NOPE', quantity: 1 }] }, status: 422, code: 'unknown_sku', paths: ['items.0.sku'] },
  {
    name: 'one unknown SKU among known ones',
    body: { ...body, items: [item, { sku: 'SKU-GHOST', quantity: 1 }] },
    status: 422,
    code: 'unknown_sku',
    paths: ['items.1.sku'],
  },
  {
    name: 'one product on two lines adding up to more than 1000',
    body: { ...body, items: [{ sku: 'SKU-MUG', quantity: 600 }, { sku: 'SKU-MUG', quantity: 600 }] },
    status: 400,
    code: 'invalid_request',
    paths: ['items.0.quantity'],
  },
  { name: 'a currency nobody sells in', body: { ...body, currency: 'JPY' }, status: 422, code: 'unsupported_currency', paths: ['currency'] },
  { name: 'a currency this cart is not sold in', body: { ...body, currency: 'GBP' }, status: 422, code: 'unsupported_currency', paths: ['currency', 'items.0.sku'] },
  { name: 'a body over 64 KiB', body: { ...body, customer: { ...body.customer, name: 'x'.repeat(70_000) } }, status: 413, code: 'payload_too_large' },
  { name: 'a body over 64 KiB that is not even JSON', body: 'x'.repeat(65 * 1024), status: 413, code: 'payload_too_large' },
  { name: 'Content-Type text/plain', body, headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
  { name: 'a form body', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { name: 'a vendor JSON type', body, headers: { 'content-type': 'application/vnd.api+json' }, status: 415, code: 'unsupported_media_type' },
  { name: 'a deeply nested array', body: '['.repeat(30_000) + ']'.repeat(30_000), status: 400, code: 'invalid_request' },
  { name: 'an Idempotency-Key of 256 characters', body, headers: { 'idempotency-key': 'k'.repeat(256) }, status: 400, code: 'invalid_request', paths: ['idempotency-key'] },
  { name: 'an empty Idempotency-Key', body, headers: { 'idempotency-key': '' }, status: 400, code: 'invalid_request', paths: ['idempotency-key'] },
  { name: 'an Idempotency-Key with a tab', body, headers: { 'idempotency-key': 'a\tb' }, status: 400, code: 'invalid_request', paths: ['idempotency-key'] },
  { name: 'an Idempotency-Key with non-ASCII bytes', body, headers: { 'idempotency-key': 'cl\u00e9' }, status: 400, code: 'invalid_request', paths: ['idempotency-key'] },
];

async function send(c: Case): Promise<Response> {
  const raw = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  return t.app.request('/v1/checkouts', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(KEYS.merchant), ...c.headers },
    body: raw,
  });
}

describe('POST /v1/checkouts with bad input', () => {
  it.each(cases)('answers $status $code for $name, and starts nothing', async (c) => {
    const before = t.checkouts.startCalls;
    const res = await send(c);
    const problem = (await res.json()) as Record<string, unknown>;

    expect(res.status, JSON.stringify(problem)).toBe(c.status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(problem).toMatchObject({ type: `/problems/${c.code}`, status: c.status, code: c.code });
    expect(problem.title).toEqual(expect.any(String));
    expect(problem.detail).toEqual(expect.any(String));
    if (c.paths) {
      const paths = (problem.errors as { path: string; message: string }[]).map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(c.paths));
    }
    expect(t.checkouts.startCalls).toBe(before);
  });

  it('sends a body with no Content-Type at all to 415', async () => {
    const res = await t.app.request('/v1/checkouts', { method: 'POST', headers: auth(), body: JSON.stringify(body) });
    expect(res.status).toBe(415);
    expect(t.checkouts.startCalls).toBe(0);
  });

  it('rejects an oversized body from its Content-Length before reading it', async () => {
    const res = await t.app.request('/v1/checkouts', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(413);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    // Padded with insignificant whitespace up to the limit: the size rule is about bytes, not content.
    const json = JSON.stringify(body);
    const raw = json + ' '.repeat(64 * 1024 - Buffer.byteLength(json));
    expect(Buffer.byteLength(raw)).toBe(64 * 1024);
    const res = await t.app.request('/v1/checkouts', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: raw });
    expect(res.status).toBe(202);
  });
});

describe('other routes with bad input', () => {
  const post = (path: string, raw: string, key: string = KEYS.operator, contentType = 'application/json') =>
    t.app.request(path, { method: 'POST', headers: { ...auth(key), 'content-type': contentType }, body: raw });

  it('rejects a cancel body with unknown fields', async () => {
    const res = await post('/v1/checkouts/chk_abc/cancel', JSON.stringify({ reason: 'x', refund: true }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_request', errors: [{ path: 'refund' }] });
  });

  it('rejects malformed JSON on cancel', async () => {
    expect((await post('/v1/checkouts/chk_abc/cancel', '{')).status).toBe(400);
  });

  it('rejects a review decision that is neither approve nor reject', async () => {
    const res = await post('/v1/checkouts/chk_abc/review', JSON.stringify({ decision: 'maybe' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ path: 'decision' }] });
  });

  it('rejects a review without a body', async () => {
    const res = await t.app.request('/v1/checkouts/chk_abc/review', { method: 'POST', headers: auth(KEYS.operator) });
    expect(res.status).toBe(415);
  });

  it('answers 404 for an id of the wrong shape instead of asking Temporal', async () => {
    for (const path of ['/v1/checkouts/ord_123', '/v1/checkouts/chk_UPPER', '/v1/orders/chk_123', `/v1/checkouts/chk_${'a'.repeat(100)}`]) {
      const res = await t.app.request(path, { headers: auth() });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.app.request('/nowhere');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});

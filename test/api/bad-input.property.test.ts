/**
 * Property: whatever JSON and headers arrive at `POST /v1/checkouts`, the API never answers 5xx and never starts
 * a saga for a body the schema or the catalog rejects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkoutRequestSchema } from '../../src/contracts/checkout.ts';
import { DEMO_CATALOG } from '../../src/inventory/seed.ts';
import { KEYS, type TestApp, validBody, withTestApp } from './support/test-app.ts';

let t: TestApp;
withTestApp((opened) => {
  ({ t } = opened);
});

/** Header values a client can actually send: latin-1 bytes without control characters other than tab. */
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 300 });

/** Mostly `good`, sometimes anything from `bad`: random input that still gets past the outer checks often. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: bad });

const headers = fc.record(
  {
    authorization: mostly(
      fc.constantFrom(`Bearer ${KEYS.merchant}`, `Bearer ${KEYS.operator}`),
      fc.oneof(fc.constantFrom(`Bearer ${KEYS.unknown}`, 'Basic abc', 'Bearer', ''), headerValue),
    ),
    'content-type': mostly(
      fc.constantFrom('application/json', 'application/json; charset=utf-8'),
      fc.oneof(fc.constantFrom('text/plain', 'application/xml', 'application/json;;', ''), headerValue),
    ),
    'idempotency-key': mostly(fc.string({ unit: fc.constantFrom(...'abcdef-_0123456789'), minLength: 1, maxLength: 12 }), headerValue),
    prefer: mostly(fc.constantFrom('wait=1', 'wait=0', 'wait=999999999999', 'respond-async, wait=2', 'wait=-1', 'wait'), headerValue),
    'x-request-id': headerValue,
    'x-custom': headerValue,
  },
  { requiredKeys: ['authorization', 'content-type'] },
);

const skus = [...DEMO_CATALOG.map((c) => c.sku), 'SKU-NOPE', '', 'sku-mug'];

/** Bodies near the valid shape, so the generator reaches the catalog and the idempotency store too. */
const nearlyValid = fc.record(
  {
    customer: mostly(
      fc.record({ id: fc.constantFrom('cus_1', 'cus_2'), email: fc.constantFrom('ada@example.com', 'bo@example.org'), name: fc.string({ minLength: 1, maxLength: 20 }) }, { requiredKeys: ['id', 'email'] }),
      fc.oneof(fc.record({ id: fc.string({ maxLength: 70 }), email: fc.string(), name: fc.string() }, { requiredKeys: [] }), fc.jsonValue()),
    ),
    items: mostly(
      fc.array(fc.record({ sku: fc.constantFrom(...skus), quantity: mostly(fc.integer({ min: 1, max: 5 }), fc.oneof(fc.integer({ min: -5, max: 1005 }), fc.double(), fc.jsonValue())) }), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.oneof(fc.array(fc.jsonValue(), { maxLength: 105 }), fc.jsonValue()),
    ),
    currency: mostly(fc.constantFrom('USD', 'EUR', 'GBP', 'JPY'), fc.oneof(fc.constantFrom('usd', ''), fc.jsonValue())),
    payment: mostly(fc.constant({ token: 'tok_visa' }), fc.oneof(fc.record({ token: fc.jsonValue() }), fc.jsonValue())),
    shippingAddress: mostly(fc.constant(validBody().shippingAddress), fc.jsonValue()),
    extra: fc.jsonValue(),
  },
  { requiredKeys: ['customer', 'items', 'currency', 'payment', 'shippingAddress'] },
);

/** Bodies that are valid and priceable, so accepted checkouts are part of every run too. */
const valid = fc.record({
  customer: fc.record({ id: fc.constantFrom('cus_1', 'cus_2'), email: fc.constantFrom('ada@example.com', 'bo@example.org') }),
  items: fc.array(fc.record({ sku: fc.constantFrom('SKU-MUG', 'SKU-TEE', 'SKU-STICKER'), quantity: fc.integer({ min: 1, max: 1000 }) }), { minLength: 1, maxLength: 5 }),
  currency: fc.constantFrom('USD', 'EUR'),
  payment: fc.record({ token: fc.constantFrom('tok_visa', 'tok_riskReview', 'tok_chargeDeclined') }),
  shippingAddress: fc.constant(validBody().shippingAddress),
});

/** Valid bodies but for one product the catalog does not have: the catalog's 422, which nearly valid bodies reach only rarely. */
const unpriceable = valid.map((value) => ({ ...value, items: [...value.items, { sku: 'SKU-NOPE', quantity: 1 }] }));

const body = fc.oneof(
  { weight: 3, arbitrary: valid.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: unpriceable.map((value) => JSON.stringify(value)) },
  { weight: 6, arbitrary: nearlyValid.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

/** Whether the server may legitimately start a saga for this body (schema-valid and priceable). */
function startable(raw: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return false;
  }
  const parsed = checkoutRequestSchema.safeParse(value);
  if (!parsed.success) return false;
  return parsed.data.items.every((item) => DEMO_CATALOG.some((c) => c.sku === item.sku && parsed.data.currency in c.prices));
}

describe('POST /v1/checkouts under arbitrary input', () => {
  it('never answers 5xx, and starts a saga only for a valid, priceable body', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, headers, async (raw, extraHeaders) => {
        const before = t.checkouts.startCalls;
        const res = await t.app.request('/v1/checkouts', { method: 'POST', headers: extraHeaders, body: raw });
        const text = await res.text();
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(res.status, text).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
        if (!startable(raw)) expect(t.checkouts.startCalls).toBe(before);
        if (res.status === 202 || res.status === 200) expect(startable(raw)).toBe(true);
      }),
      { numRuns: 400 },
    );
    // The generator reaches every layer: rejected bodies and keys, and accepted checkouts too.
    expect([...seen.keys()]).toEqual(expect.arrayContaining([202, 400, 401, 415, 422]));
  }, 120_000);
});

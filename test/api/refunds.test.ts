/**
 * The refund routes on the test database: admission against what is left to refund, the Idempotency-Key,
 * merchant scoping and the answers' shapes. (The refund's workflow, with the gateway, is in
 * test/api/checkouts-port.int.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { refunds } from '../../src/platform/db/schema/index.ts';
import { auth, clientOf, completeCheckout, KEYS, postCheckout, type TestApp, validBody, withTestApp } from './support/test-app.ts';

let database: DatabaseHandle;
let t: TestApp;
withTestApp((opened) => {
  ({ database, t } = opened);
});

const completedCheckout = () => completeCheckout(t, database);

const refund = (checkoutId: string, body: unknown, headers: Record<string, string> = {}, key: string = KEYS.merchant) =>
  t.app.request(`/v1/checkouts/${checkoutId}/refunds`, { method: 'POST', body: JSON.stringify(body), headers: { ...auth(key), 'content-type': 'application/json', ...headers } });

describe('POST /v1/checkouts/{id}/refunds', () => {
  it('admits partial refunds up to the captured amount, then refuses with 422 naming what is left', async () => {
    const checkout = await completedCheckout();
    const first = await refund(checkout.id, { amount: 1000, reason: 'requested_by_customer' });
    expect(first.status).toBe(201);
    const body = (await first.json()) as { id: string; status: string; amount: number; currency: string };
    expect(body).toMatchObject({ status: 'pending', amount: 1000, currency: 'USD', checkoutId: checkout.id, reason: 'requested_by_customer', gateway: 'primary', captureId: `cap_${checkout.id}` });
    expect(first.headers.get('location')).toBe(`/v1/refunds/${body.id}`);

    const over = await refund(checkout.id, { amount: 3000 });
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ code: 'amount_exceeds_refundable', detail: 'Cannot refund USD 30.00: USD 29.98 is left to refund of USD 39.98 captured.' });

    expect((await refund(checkout.id, { amount: 2998 })).status).toBe(201);
    const none = await refund(checkout.id, {});
    expect(none.status).toBe(422);
    expect(((await none.json()) as { detail: string }).detail).toContain('nothing is left to refund');
  });

  it('refunds everything left when no amount is given', async () => {
    const checkout = await completedCheckout();
    expect((await refund(checkout.id, { amount: 998 })).status).toBe(201);
    const rest = (await (await refund(checkout.id, {})).json()) as { amount: number };
    expect(rest.amount).toBe(3000);
  });

  it('answers a retry with the same Idempotency-Key with the same refund, admitted once; another body with the key is refused', async () => {
    const checkout = await completedCheckout();
    const first = await refund(checkout.id, { amount: 500 }, { 'idempotency-key': `rf-${checkout.id}` });
    const again = await refund(checkout.id, { amount: 500 }, { 'idempotency-key': `rf-${checkout.id}` });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = (await Promise.all([first.json(), again.json()])) as { id: string }[];
    expect(b!.id).toBe(a!.id);
    const rows = await database.db.select().from(refunds);
    expect(rows.filter((r) => r.checkoutId === checkout.id)).toHaveLength(1);

    const other = await refund(checkout.id, { amount: 600 }, { 'idempotency-key': `rf-${checkout.id}` });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused' });
    // A key that named a checkout names no refund, and one used for a refund of another checkout neither.
    await postCheckout(t.app, validBody(), { 'idempotency-key': `co-${checkout.id}` });
    expect(await (await refund(checkout.id, { amount: 500 }, { 'idempotency-key': `co-${checkout.id}` })).json()).toMatchObject({ code: 'idempotency_key_reused' });
    const second = await completedCheckout();
    expect(await (await refund(second.id, { amount: 500 }, { 'idempotency-key': `rf-${checkout.id}` })).json()).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('refuses a checkout that took no money with 409, and bad bodies with 400 naming the field', async () => {
    const { id } = (await (await postCheckout(t.app, validBody())).json()) as { id: string };
    const running = await refund(id, {});
    expect(running.status).toBe(409);
    expect(await running.json()).toMatchObject({ code: 'not_refundable' });

    const checkout = await completedCheckout();
    for (const [body, field] of [[{ amount: 0 }, 'amount'], [{ amount: 10.5 }, 'amount'], [{ reason: 'because' }, 'reason'], [{ amount: 100, note: 'x' }, 'note']] as const) {
      const res = await refund(checkout.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(field);
    }
  });

  it("answers another merchant 404 for the checkout and its refunds, as for an unknown id; operators see them", async () => {
    const checkout = await completedCheckout();
    const made = (await (await refund(checkout.id, { amount: 100 })).json()) as { id: string };
    expect((await refund(checkout.id, { amount: 100 }, {}, KEYS.otherMerchant)).status).toBe(404);
    expect((await t.app.request(`/v1/refunds/${made.id}`, { headers: auth(KEYS.otherMerchant) })).status).toBe(404);
    expect((await t.app.request(`/v1/checkouts/${checkout.id}/refunds`, { headers: auth(KEYS.otherMerchant) })).status).toBe(404);
    const others = (await (await t.app.request('/v1/refunds?limit=100', { headers: auth(KEYS.otherMerchant) })).json()) as { data: unknown[] };
    expect(others.data).toEqual([]);
    expect((await t.app.request(`/v1/refunds/${made.id}`, { headers: auth(KEYS.operator) })).status).toBe(200);
  });
});

describe('reading refunds', () => {
  it("lists a checkout's refunds newest first, and all of a merchant's filtered by checkout and status, through the typed client", async () => {
    const api = clientOf(t);
    const checkout = await completedCheckout();
    const ids: string[] = [];
    for (const amount of [100, 200, 300]) {
      const { data, response } = await api.POST('/v1/checkouts/{id}/refunds', { params: { path: { id: checkout.id } }, body: { amount } });
      expect(response.status).toBe(201);
      ids.push(data!.id);
    }
    const listed = (await api.GET('/v1/checkouts/{id}/refunds', { params: { path: { id: checkout.id }, query: { limit: 2 } } })).data!;
    expect(listed.data.map((r) => r.amount)).toEqual([300, 200]);
    expect(listed.has_more).toBe(true);
    const byCheckout = (await api.GET('/v1/refunds', { params: { query: { checkout_id: checkout.id, status: 'pending' } } })).data!;
    expect(byCheckout.data.map((r) => r.id)).toEqual([...ids].reverse());
    expect((await api.GET('/v1/refunds/{id}', { params: { path: { id: ids[0]! } } })).data).toMatchObject({ id: ids[0], amount: 100 });
    expect((await t.app.request('/v1/refunds?status=lost', { headers: auth() })).status).toBe(400);
  });

  it("tells a merchant why a refund failed in its own words, and an operator the gateway's", async () => {
    const checkout = await completedCheckout();
    const made = (await (await refund(checkout.id, { amount: 100 })).json()) as { id: string };
    const { eq } = await import('drizzle-orm');
    await database.db.update(refunds).set({ status: 'failed', failureCode: 'refund_refused', failureMessage: 'the primary gateway refused the refund (amount_too_large): internal ledger text' }).where(eq(refunds.id, made.id));
    const merchant = JSON.stringify(await (await t.app.request(`/v1/refunds/${made.id}`, { headers: auth() })).json());
    expect(merchant).toContain('refund_refused');
    expect(merchant).not.toContain('internal ledger text');
    expect(JSON.stringify(await (await t.app.request(`/v1/refunds/${made.id}`, { headers: auth(KEYS.operator) })).json())).toContain('internal ledger text');
  });
});

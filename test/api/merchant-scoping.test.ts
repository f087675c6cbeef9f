/** A merchant sees only its own checkouts and orders; to anyone else they do not exist. Operators see all. */
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { auth, insertPaidOrder, KEYS, merchantIdOf, postCheckout, type TestApp, validBody, withTestApp } from './support/test-app.ts';

let database: DatabaseHandle;
let t: TestApp;
let checkoutId: string;
withTestApp(async (opened) => {
  ({ database, t } = opened);
  const res = await postCheckout(t.app, validBody());
  checkoutId = ((await res.json()) as { id: string }).id;
  await insertPaidOrder(database, { id: 'ord_scoped', checkoutId });
});

describe('merchant scoping', () => {
  it('records the creating merchant on the checkout', () => {
    expect(t.checkouts.started.at(-1)?.merchantId).toBe(merchantIdOf(KEYS.merchant));
  });

  it('lets the creating merchant and operators read the checkout and its order', async () => {
    for (const key of [KEYS.merchant, KEYS.operator]) {
      const checkout = await t.app.request(`/v1/checkouts/${checkoutId}`, { headers: auth(key) });
      expect(checkout.status).toBe(200);
      expect(await checkout.json()).toMatchObject({ id: checkoutId, merchantId: merchantIdOf(KEYS.merchant) });
      expect((await t.app.request('/v1/orders/ord_scoped', { headers: auth(key) })).status).toBe(200);
    }
  });

  it("answers 404 to another merchant's reads, exactly as for an unknown id", async () => {
    const checkout = await t.app.request(`/v1/checkouts/${checkoutId}`, { headers: auth(KEYS.otherMerchant) });
    expect(checkout.status).toBe(404);
    expect(await checkout.json()).toMatchObject({ status: 404, code: 'not_found' });
    expect((await t.app.request('/v1/orders/ord_scoped', { headers: auth(KEYS.otherMerchant) })).status).toBe(404);
  });

  it("refuses another merchant's cancel with 404 and never reaches the saga", async () => {
    const before = t.checkouts.commands.length;
    const res = await t.app.request(`/v1/checkouts/${checkoutId}/cancel`, { method: 'POST', headers: auth(KEYS.otherMerchant) });
    expect(res.status).toBe(404);
    expect(t.checkouts.commands).toHaveLength(before);
    const own = await t.app.request(`/v1/checkouts/${checkoutId}`, { headers: auth() });
    expect(await own.json()).toMatchObject({ status: 'pending' });
  });

  it("shows a merchant its view: failure codes with text made for it, no operator's notes, ids or errors", async () => {
    const own = ((await (await postCheckout(t.app, validBody())).json()) as { id: string }).id;
    const view = t.checkouts.views.get(own)!;
    t.checkouts.views.set(own, {
      ...view,
      status: 'failed',
      fraud: { score: null, decision: 'review', reason: 'fraud service unavailable' },
      review: { decision: 'approve', operator: 'opr_alice', note: 'called the customer at +1 555 0100', at: view.createdAt },
      failure: { code: 'capture_failed', message: 'POST http://10.0.3.7:4011/v1/authorizations/auth_1/capture: connect ECONNREFUSED 10.0.3.7:4011' },
      compensation: { pending: ['void authorization'], attempts: 3, lastError: 'database error: SQLSTATE 57P01', escalated: [{ step: 'refund capture', reason: 'the primary gateway refused to refund (account_inactive)' }] },
    });
    const operatorText = ['10.0.3.7', 'ECONNREFUSED', 'opr_alice', '+1 555', 'SQLSTATE', 'account_inactive', 'fraud service unavailable'];

    const merchants = await (await t.app.request(`/v1/checkouts/${own}`, { headers: auth() })).text();
    for (const text of operatorText) expect(merchants, text).not.toContain(text);
    expect(JSON.parse(merchants)).toMatchObject({
      failure: { code: 'capture_failed', message: 'The payment could not be completed.' },
      review: { decision: 'approve' },
      compensation: { pending: ['void authorization'], attempts: 3, lastError: null, escalated: [{ step: 'refund capture', reason: 'left to an operator' }] },
    });
    const cancelled = await (await t.app.request(`/v1/checkouts/${own}/cancel`, { method: 'POST', headers: auth() })).text();
    for (const text of operatorText) expect(cancelled, text).not.toContain(text);

    // Operators see every detail.
    const operators = await (await t.app.request(`/v1/checkouts/${own}`, { headers: auth(KEYS.operator) })).text();
    for (const text of operatorText) expect(operators, text).toContain(text);
  });
});

/** A merchant sees only its own checkouts and orders; to anyone else they do not exist. Operators see all. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { auth, buildTestApp, insertPaidOrder, KEYS, merchantIdOf, openTestDatabase, postCheckout, validBody } from './support/test-app.ts';

let database: DatabaseHandle;
let t: ReturnType<typeof buildTestApp>;
let checkoutId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  t = buildTestApp(database);
  const res = await postCheckout(t.app, validBody());
  checkoutId = ((await res.json()) as { id: string }).id;
  await insertPaidOrder(database, { id: 'ord_scoped', checkoutId });
}, 60_000);
afterAll(() => database?.close());

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
});

/**
 * `GET /v1/checkouts` and `GET /v1/orders`: newest first, by cursor, merchant-scoped, filtered; read from the
 * recorded states the saga writes (its activities write them here as the worker would).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutStatus, CheckoutView } from '../../src/contracts/checkout.ts';
import type { CheckoutWorkflowInput } from '../../src/contracts/workflow.ts';
import { createOrderActivities } from '../../src/orders/activities.ts';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { pendingView } from './support/fake-checkouts.ts';
import { auth, clientOf, insertPaidOrder, KEYS, merchantIdOf, type TestApp, withTestApp } from './support/test-app.ts';

const MERCHANT = merchantIdOf(KEYS.merchant);
const OTHER = merchantIdOf(KEYS.otherMerchant);
const T0 = Date.parse('2026-11-01T00:00:00Z');

function viewOf(n: number, fields: { merchantId?: string; customerId?: string; status?: CheckoutStatus; metadata?: Record<string, string>; clientReferenceId?: string } = {}): CheckoutView {
  const input = {
    checkoutId: `chk_list${String(n).padStart(3, '0')}`,
    merchantId: fields.merchantId ?? MERCHANT,
    customer: { id: fields.customerId ?? 'cus_a' },
    amount: { total: 1000 + n, currency: 'USD' },
    items: [{ sku: 'SKU-MUG', name: 'Enamel mug', quantity: 1, unitAmount: 1000 + n }],
    metadata: fields.metadata,
    clientReferenceId: fields.clientReferenceId,
    createdAt: new Date(T0 + n * 60_000).toISOString(),
  } as CheckoutWorkflowInput;
  return { ...pendingView(input), status: fields.status ?? 'completed' };
}

let database: DatabaseHandle;
let t: TestApp;
withTestApp(async (opened) => {
  ({ database, t } = opened);
  const record = createOrderActivities({ db: database.db });
  // 25 of the merchant's checkouts, one a minute; every third a customer of its own, every fifth still running.
  for (let n = 1; n <= 25; n++) {
    const view = viewOf(n, { customerId: n % 3 === 0 ? 'cus_b' : 'cus_a', metadata: { order: `ord-${n}`, channel: n % 2 === 0 ? 'web' : 'app' }, clientReferenceId: `ref-${n}` });
    if (n % 5 === 0) await record.recordCheckoutProgress({ ...view, status: 'pending' });
    else await record.recordCheckoutResult(view);
  }
  // Another merchant's, interleaved in time.
  for (const n of [30, 31, 32]) await record.recordCheckoutResult(viewOf(n, { merchantId: OTHER, metadata: { order: 'ord-1' } }));
});

async function list(path: string, key: string = KEYS.merchant) {
  const res = await t.app.request(path, { headers: auth(key) });
  return { status: res.status, body: (await res.json()) as { data: { id: string; status: string; merchantId: string }[]; has_more: boolean; code?: string; detail?: string } };
}
const ids = (data: { id: string }[]) => data.map((c) => Number(c.id.slice(-3)));

describe('GET /v1/checkouts', () => {
  it('answers the newest ten first, and pages forward then back by cursor to the same pages, through the typed client', async () => {
    const api = clientOf(t);
    const page = async (query: { limit?: number; starting_after?: string; ending_before?: string } = {}) => {
      const { data, response } = await api.GET('/v1/checkouts', { params: { query } });
      expect(response.status).toBe(200);
      return data!;
    };
    const first = await page();
    expect(ids(first.data)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(first.has_more).toBe(true);

    const second = await page({ limit: 10, starting_after: first.data.at(-1)!.id });
    expect(ids(second.data)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    const last = await page({ limit: 10, starting_after: second.data.at(-1)!.id });
    expect(ids(last.data)).toEqual([5, 4, 3, 2, 1]);
    expect(last.has_more).toBe(false);

    const back = await page({ limit: 10, ending_before: last.data[0]!.id });
    expect(ids(back.data)).toEqual(ids(second.data));
    expect(back.has_more).toBe(true);
    const front = await page({ ending_before: back.data[0]!.id });
    expect(ids(front.data)).toEqual(ids(first.data));
    expect(front.has_more).toBe(false);
  });

  it("never shows another merchant's checkouts, and refuses its ids as a cursor like an unknown one", async () => {
    const all = await list('/v1/checkouts?limit=100');
    expect(all.body.data).toHaveLength(25);
    expect(all.body.data.every((c) => c.merchantId === MERCHANT)).toBe(true);
    const other = await list('/v1/checkouts?limit=100', KEYS.otherMerchant);
    expect(ids(other.body.data)).toEqual([32, 31, 30]);
    for (const cursor of ['chk_list030', 'chk_nosuch']) {
      const refused = await list(`/v1/checkouts?starting_after=${cursor}`);
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toBe(`starting_after: no checkout ${cursor} to page from.`);
    }
  });

  it("lists every merchant's checkouts for an operator", async () => {
    const all = await list('/v1/checkouts?limit=100', KEYS.operator);
    expect(ids(all.body.data)).toEqual([32, 31, 30, ...Array.from({ length: 25 }, (_, i) => 25 - i)]);
  });

  it('filters by status, customer, reference, creation time and metadata, together', async () => {
    expect(ids((await list('/v1/checkouts?status=pending')).body.data)).toEqual([25, 20, 15, 10, 5]);
    expect(ids((await list('/v1/checkouts?customer_id=cus_b&limit=100')).body.data)).toEqual([24, 21, 18, 15, 12, 9, 6, 3]);
    expect(ids((await list('/v1/checkouts?client_reference_id=ref-7')).body.data)).toEqual([7]);
    const from = new Date(T0 + 10 * 60_000).toISOString();
    const until = new Date(T0 + 14 * 60_000).toISOString();
    expect(ids((await list(`/v1/checkouts?created[gte]=${from}&created[lt]=${until}`)).body.data)).toEqual([13, 12, 11, 10]);
    expect(ids((await list(`/v1/checkouts?created[gt]=${from}&created[lte]=${until}`)).body.data)).toEqual([14, 13, 12, 11]);
    expect(ids((await list('/v1/checkouts?metadata[order]=ord-1')).body.data)).toEqual([1]);
    expect(ids((await list('/v1/checkouts?metadata[channel]=web&customer_id=cus_b&limit=100')).body.data)).toEqual([24, 18, 12, 6]);
    expect(ids((await list('/v1/checkouts?metadata[channel]=web&metadata[order]=ord-4')).body.data)).toEqual([4]);
    expect(ids((await list('/v1/checkouts?metadata[channel]=web&metadata[order]=ord-5')).body.data)).toEqual([]);
  });

  it('pages within a filter', async () => {
    const first = await list('/v1/checkouts?customer_id=cus_b&limit=3');
    expect(ids(first.body.data)).toEqual([24, 21, 18]);
    const next = await list(`/v1/checkouts?customer_id=cus_b&limit=3&starting_after=${first.body.data.at(-1)!.id}`);
    expect(ids(next.body.data)).toEqual([15, 12, 9]);
    expect(next.body.has_more).toBe(true);
  });

  it('refuses bad parameters with a 400 that names them', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['status=shipped', 'status'],
      ['created[gte]=yesterday', 'created[gte]'],
      ['starting_after=chk_list001&ending_before=chk_list002', 'starting_after or ending_before'],
      ['colour=red', 'colour'],
      ['metadata[]=x', 'metadata[]'],
    ];
    for (const [query, named] of cases) {
      const res = await t.app.request(`/v1/checkouts?${query}`, { headers: auth() });
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(await res.json()), query).toContain(named);
    }
  });

  it('shows a running checkout as last recorded, and a late progress record never undoes a final one', async () => {
    const record = createOrderActivities({ db: database.db });
    await record.recordCheckoutProgress({ ...viewOf(25), status: 'awaiting_review' });
    expect((await list('/v1/checkouts?limit=1')).body.data[0]!.status).toBe('awaiting_review');
    await record.recordCheckoutResult({ ...viewOf(25), status: 'declined' });
    await record.recordCheckoutProgress({ ...viewOf(25), status: 'pending' });
    expect((await list('/v1/checkouts?limit=1')).body.data[0]!.status).toBe('declined');
  });

  it("answers an anonymous caller 401, and a merchant the merchant's view of each checkout", async () => {
    expect((await t.app.request('/v1/checkouts')).status).toBe(401);
    const record = createOrderActivities({ db: database.db });
    await record.recordCheckoutResult({ ...viewOf(40), compensation: { pending: [], attempts: 3, lastError: 'gateway said: internal detail', escalated: [] } });
    const merchantSees = JSON.stringify((await list('/v1/checkouts?limit=1')).body.data[0]);
    expect(merchantSees).not.toContain('internal detail');
    expect(JSON.stringify((await list('/v1/checkouts?limit=1', KEYS.operator)).body.data[0])).toContain('internal detail');
  });
});

describe('GET /v1/orders', () => {
  beforeAll(async () => {
    for (let n = 1; n <= 4; n++) await insertPaidOrder(database, { id: `ord_list${n}`, checkoutId: `chk_order${n}`, customerId: n === 2 ? 'cus_z' : 'cus_y', status: n === 4 ? 'cancelled' : 'paid', createdAt: new Date(T0 + n * 1000) });
    await insertPaidOrder(database, { id: 'ord_listother', checkoutId: 'chk_orderother', merchantId: OTHER, createdAt: new Date(T0 + 5000) });
  });

  it("pages a merchant's orders newest first, filtered, and never another merchant's", async () => {
    const first = await list('/v1/orders?limit=2');
    expect(first.body.data.map((o) => o.id)).toEqual(['ord_list4', 'ord_list3']);
    expect(first.body.has_more).toBe(true);
    const next = await list('/v1/orders?limit=2&starting_after=ord_list3');
    expect(next.body.data.map((o) => o.id)).toEqual(['ord_list2', 'ord_list1']);
    expect(next.body.has_more).toBe(false);
    expect((await list('/v1/orders?status=cancelled')).body.data.map((o) => o.id)).toEqual(['ord_list4']);
    expect((await list('/v1/orders?customer_id=cus_z')).body.data.map((o) => o.id)).toEqual(['ord_list2']);
    expect((await list('/v1/orders?checkout_id=chk_order3')).body.data.map((o) => o.id)).toEqual(['ord_list3']);
    expect((await list('/v1/orders?starting_after=ord_listother')).status).toBe(400);
    expect((await list('/v1/orders', KEYS.otherMerchant)).body.data.map((o) => o.id)).toEqual(['ord_listother']);
  });
});

/** Orders on the database: created once per checkout, with totals past 32 bits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createOrderActivities } from '../../src/orders/activities.ts';
import { orders } from '../../src/platform/db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(null);
});
afterAll(async () => {
  await database?.close();
});

const order = (checkoutId: string, total: number) => ({
  checkoutId,
  merchantId: 'mer_test',
  customerId: 'cus_1',
  items: [{ sku: 'SKU-YACHT', name: 'Yacht', quantity: 1, unitAmount: total }],
  total,
  currency: 'JPY',
  shippingAddress: { line1: '1 Harbour Rd', city: 'Kobe', postalCode: '650-0042', country: 'JP' },
});

describe('createOrder', () => {
  it('stores a total past 2^31 minor units (¥3,000,000,000), and creating it again names the same order', async () => {
    const activities = createOrderActivities({ db: database.db });
    const total = 3_000_000_000;
    const first = await activities.createOrder(order('chk_big', total));
    expect(await activities.createOrder(order('chk_big', total))).toEqual(first);
    const [row] = await database.db.select().from(orders).where(eq(orders.checkoutId, 'chk_big'));
    expect(row).toMatchObject({ id: first.orderId, total, status: 'pending_payment' });
  });
});

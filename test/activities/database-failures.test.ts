/**
 * A database error leaves an activity as a code, never as the driver's text: drizzle quotes the query and
 * its parameters — a shipping address among them — and that text would reach the history, the worker's logs
 * and a published event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import { createOrderActivities } from '../../src/orders/activities.ts';
import { describeDatabaseError, withDatabaseFailures } from '../../src/platform/db/failures.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(null);
  // An orders table that refuses every insert, as a database in trouble would.
  await database.db.execute(sql`create function refuse_orders() returns trigger language plpgsql as $$ begin raise exception 'orders are read-only'; end $$`);
  await database.db.execute(sql`create trigger refuse_orders before insert on orders for each row execute function refuse_orders()`);
});
afterAll(async () => {
  await database?.close();
});

const address = { line1: '17 Secret Garden Lane', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('a database error in an activity', () => {
  it('is a retryable database_error whose message names the SQLSTATE and quotes neither query nor parameters', async () => {
    const activities = withDatabaseFailures(createOrderActivities({ db: database.db }));
    const failure = await activities
      .createOrder({ checkoutId: 'chk_1', merchantId: 'mer_1', customerId: 'cus_1', items: [], total: 100, currency: 'USD', shippingAddress: address })
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'database_error', nonRetryable: false, message: 'database error: SQLSTATE P0001 (raised by a database function)' });
    expect(JSON.stringify({ message: (failure as Error).message, details: (failure as ApplicationFailure).details, cause: String((failure as Error).cause) })).not.toMatch(/Secret Garden|insert into|params/);
  });

  it('says an unreachable database is unreachable, by its network code', () => {
    const refused = new Error('Failed query: select … params: 17 Secret Garden Lane', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }) });
    expect(describeDatabaseError(refused)).toBe('database error: ECONNREFUSED (database unreachable)');
  });

  it('lets a business refusal through as it is', async () => {
    const refusal = ApplicationFailure.nonRetryable('not enough stock for SKU-MUG', 'out_of_stock');
    const wrapped = withDatabaseFailures({ reserve: async () => Promise.reject(refusal) });
    await expect(wrapped.reserve()).rejects.toBe(refusal);
  });
});

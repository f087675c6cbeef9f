/** Builds the app for tests: in-memory PGlite with the demo catalog, a fake checkouts port, refunds admitted on the database, silent logs. */
import { Registry } from 'prom-client';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type AppDeps } from '../../../api/app.ts';
import { hashApiKey } from '../../../src/config/index.ts';
import { openDatabase, type DatabaseHandle } from '../../../src/platform/db/client.ts';
import { orders } from '../../../src/platform/db/schema/index.ts';
import { seedCatalog } from '../../../src/inventory/seed.ts';
import { createLogger } from '../../../src/platform/logger.ts';
import { DatabaseRefunds } from './database-refunds.ts';
import { testKeyring } from '../../../harness/payload-keys.ts';
import { FakeCheckouts } from './fake-checkouts.ts';
import type { CheckoutView } from '../../../src/contracts/checkout.ts';
import { createOrderActivities } from '../../../src/orders/activities.ts';
import { createCheckoutClient } from '../../../src/client/index.ts';

export const KEYS = {
  merchant: 'test_merchant_key',
  /** The test merchant's second key, as while rotating from one to the other. */
  merchantNext: 'test_merchant_next_key',
  otherMerchant: 'other_merchant_key',
  operator: 'test_operator_key',
  /** The test operator's second key, as while rotating. */
  operatorNext: 'test_operator_next_key',
  unknown: 'not_a_key',
} as const;

/** The configured merchants: `mer_test` with two keys, `mer_other` with one. */
export const TEST_MERCHANTS = [
  { id: 'mer_test', keyHashes: [hashApiKey(KEYS.merchant), hashApiKey(KEYS.merchantNext)] },
  { id: 'mer_other', keyHashes: [hashApiKey(KEYS.otherMerchant)] },
];
/** The configured operator: `opr_test`, with two keys. */
export const TEST_AUTH = { merchants: TEST_MERCHANTS, operators: [{ id: 'opr_test', keyHashes: [hashApiKey(KEYS.operator), hashApiKey(KEYS.operatorNext)] }] };

/** The merchant a merchant key belongs to. */
export const merchantIdOf = (key: string) => {
  const found = TEST_MERCHANTS.find((m) => m.keyHashes.includes(hashApiKey(key)));
  if (!found) throw new Error(`${key} is not a test merchant key`);
  return found.id;
};

export const validBody = () => ({
  customer: { id: 'cus_123', email: 'ada@example.com', name: 'Ada' },
  items: [{ sku: 'SKU-MUG', quantity: 2 }],
  currency: 'USD',
  payment: { token: 'tok_visa' },
  shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
});

/** Stores a paid order of two mugs for the test merchant (as the saga would), with `fields` overriding. */
export async function insertPaidOrder(database: DatabaseHandle, fields: { id: string; checkoutId: string } & Partial<typeof orders.$inferInsert>) {
  await database.db.insert(orders).values({
    merchantId: merchantIdOf(KEYS.merchant),
    customerId: 'cus_123',
    status: 'paid',
    total: 3998,
    currency: 'USD',
    items: [{ sku: 'SKU-MUG', name: 'Enamel mug', quantity: 2, unitAmount: 1999 }],
    shippingAddress: validBody().shippingAddress,
    ...fields,
  });
}

/** Opens one in-memory database per test file (migrated and seeded). */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const handle = await openDatabase({ kind: 'pglite', dataDir: null });
  await seedCatalog(handle.db);
  return handle;
}

export type TestApp = ReturnType<typeof buildTestApp>;

/**
 * The file's database and app: opened before its tests (then handed to `use`, which may set up more) and
 * closed after them.
 */
export function withTestApp(use: (opened: { database: DatabaseHandle; t: TestApp }) => void | Promise<void>): void {
  let database: DatabaseHandle | undefined;
  beforeAll(async () => {
    database = await openTestDatabase();
    await use({ database, t: buildTestApp(database) });
  }, 60_000);
  afterAll(() => database?.close());
}

export function buildTestApp(database: DatabaseHandle, overrides: Partial<AppDeps> = {}) {
  // A fake passed in is the one the app uses, and the one returned for the test to drive.
  const checkouts = overrides.checkouts instanceof FakeCheckouts ? overrides.checkouts : new FakeCheckouts();
  const refunds = new DatabaseRefunds(database.db);
  const registry = new Registry();
  const app = createApp({
    checkouts,
    refunds,
    db: database.db,
    webhooks: { keyring: testKeyring(), allowPrivateUrls: false },
    logger: createLogger({ level: 'silent' }),
    registry,
    readiness: { database: () => database.ping() },
    auth: TEST_AUTH,
    api: { rateLimitPerMinute: 100_000, publicUrl: 'http://localhost', ops: null },
    checkout: { reviewTimeoutMs: 60_000 },
    ...overrides,
  });
  return { app, checkouts, refunds, registry };
}

export const auth = (key: string = KEYS.merchant) => ({ authorization: `Bearer ${key}` });

/** `POST /v1/checkouts` with a JSON body (or a raw string) and extra headers. */
export function postCheckout(app: ReturnType<typeof buildTestApp>['app'], body: unknown, headers: Record<string, string> = {}) {
  return app.request('/v1/checkouts', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A checkout of the test merchant that completed (3998 USD captured on the primary), recorded as the saga leaves it. */
export async function completeCheckout(t: ReturnType<typeof buildTestApp>, database: DatabaseHandle): Promise<CheckoutView> {
  const { id } = (await (await postCheckout(t.app, validBody())).json()) as { id: string };
  const orderId = id.replace('chk_', 'ord_');
  const completed: CheckoutView = {
    ...t.checkouts.setStatus(id, 'completed'),
    orderId,
    payment: { gateway: 'primary', authorizationId: `auth_${id}`, captureId: `cap_${id}`, voidId: null, refundId: null, expiresAt: null },
  };
  t.checkouts.views.set(id, completed);
  await createOrderActivities({ db: database.db }).recordCheckoutResult(completed);
  await insertPaidOrder(database, { id: orderId, checkoutId: id, captureId: `cap_${id}` });
  return completed;
}

/** The typed client a merchant would use, calling the test app in process (no socket). */
export const clientOf = (t: ReturnType<typeof buildTestApp>, key: string = KEYS.merchant) =>
  createCheckoutClient('http://localhost', key, { fetch: (request: Request) => Promise.resolve(t.app.fetch(request)) });

/** Many shoppers, few units: concurrent checkouts for one scarce SKU sell exactly what is on the shelf. */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { CheckoutView } from '../../src/contracts/checkout.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants, fetchLedgers } from '../support/invariants.ts';
import { countEntries, newCustomer, NOTHING, reservationsOf, stockOf } from './support/world.ts';

const SHOPPERS = 12;
const UNITS = 5;
const DROP = { sku: 'SKU-DROP', name: 'Signed vinyl', stock: UNITS, prices: { USD: 4500 } };

let stack: CheckoutStack;
beforeAll(async () => {
  stack = await startCheckoutStack({ catalog: [DROP] });
});
afterEach(async () => {
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await stack?.stop();
});

it(`sells exactly ${UNITS} units to ${SHOPPERS} concurrent shoppers and declines the rest with out_of_stock, charging nobody it declined`, async () => {
  const started = await Promise.all(
    Array.from({ length: SHOPPERS }, () => stack.start({ token: 'tok_visa', items: [{ sku: DROP.sku, quantity: 1 }], customer: newCustomer() })),
  );
  const results = await Promise.all(started.map(async ({ handle }) => (await handle.result()) as CheckoutView));

  const completed = results.filter((r) => r.status === 'completed');
  const declined = results.filter((r) => r.status === 'declined');
  expect(completed).toHaveLength(UNITS);
  expect(declined).toHaveLength(SHOPPERS - UNITS);
  expect(declined.every((r) => r.failure?.code === 'out_of_stock' && r.payment === null)).toBe(true);
  expect(await stockOf(stack, DROP.sku)).toBe(0);

  for (const result of completed) {
    const ledger = await fetchLedgers(stack, result.id);
    expect(countEntries([...ledger.primary, ...ledger.secondary])).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(await reservationsOf(stack, result.id)).toEqual(['committed']);
  }
  for (const result of declined) {
    const ledger = await fetchLedgers(stack, result.id);
    expect([...ledger.primary, ...ledger.secondary]).toEqual([]);
    expect(await reservationsOf(stack, result.id)).toEqual([]);
  }
});

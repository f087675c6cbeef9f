/** Many shoppers, few units: concurrent checkouts for one scarce SKU sell exactly what is on the shelf. */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { reviewCheckoutUpdate } from '../../src/contracts/workflow.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants, fetchLedgers } from '../support/invariants.ts';
import { countEntries, ledgerOf, newCustomer, NOTHING, reservationsOf, statusReached, stockOf } from './support/world.ts';

const SHOPPERS = 12;
const UNITS = 5;
const DROP = { sku: 'SKU-DROP', name: 'Signed vinyl', stock: UNITS, prices: { USD: 4500 } };
const SECOND_DROP = { sku: 'SKU-DROP-2', name: 'Test pressing', stock: 3, prices: { USD: 9000 } };

let stack: CheckoutStack;
beforeAll(async () => {
  stack = await startCheckoutStack({ catalog: [DROP, SECOND_DROP] });
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

it('does not let checkouts held for review lock the stock: they give it back while held and take it again on approval, if it is still there', async () => {
  const one = [{ sku: SECOND_DROP.sku, quantity: 1 }];
  // Two checkouts held for review (as a fraud-service outage would hold every checkout).
  const held = await Promise.all([0, 1].map(() => stack.start({ token: 'tok_riskReview', items: one, customer: newCustomer() })));
  for (const { handle } of held) await statusReached(handle, 'awaiting_review');
  expect(await stockOf(stack, SECOND_DROP.sku)).toBe(3);
  for (const { checkoutId } of held) expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);

  // Meanwhile two shoppers with clean scores buy: the held checkouts do not stand in their way.
  const buyers = await Promise.all([0, 1].map(() => stack.run({ token: 'tok_visa', items: one, customer: newCustomer() })));
  expect(buyers.map((b) => b.status)).toEqual(['completed', 'completed']);
  expect(await stockOf(stack, SECOND_DROP.sku)).toBe(1);

  // Approved one after the other: the first takes the last unit; the second finds none and is declined unpaid.
  const results: CheckoutView[] = [];
  for (const { handle } of held) {
    await handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'approve', operator: 'op_drop' }] });
    results.push((await handle.result()) as CheckoutView);
  }
  expect(results.map((r) => r.status)).toEqual(['completed', 'declined']);
  expect(results[1]).toMatchObject({ failure: { code: 'out_of_stock' }, payment: null });
  expect(await stockOf(stack, SECOND_DROP.sku)).toBe(0);
  expect(await reservationsOf(stack, held[0]!.checkoutId)).toEqual(['committed']);
  expect((await ledgerOf(stack, held[1]!.checkoutId)).primary).toEqual(NOTHING);
});

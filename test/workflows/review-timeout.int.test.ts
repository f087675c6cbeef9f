/** A checkout held for review that no operator decides: its own stack, with a review timeout of two seconds. */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { CheckoutView } from '../../src/contracts/checkout.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { ledgerOf, newCustomer, NOTHING, reservationsOf, statusReached, stockOf, summariesOf } from './support/world.ts';

let stack: CheckoutStack;
beforeAll(async () => {
  stack = await startCheckoutStack({ reviewTimeout: '2s' });
});
afterEach(async () => {
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await stack?.stop();
});

it('declines a checkout with review_timeout when no operator decides in time, and puts its stock back', async () => {
  const stockBefore = await stockOf(stack, 'SKU-TEE');
  const { checkoutId, handle } = await stack.start({ token: 'tok_riskReview', items: [{ sku: 'SKU-TEE', quantity: 3 }], customer: newCustomer() });
  await statusReached(handle, 'awaiting_review');
  const heldAt = Date.now();

  const result = (await handle.result()) as CheckoutView;
  expect(Date.now() - heldAt).toBeGreaterThanOrEqual(1_000);
  expect(result).toMatchObject({ status: 'declined', failure: { code: 'review_timeout' }, review: { decision: 'timeout' }, payment: null });
  expect(await ledgerOf(stack, checkoutId)).toMatchObject({ primary: NOTHING, secondary: NOTHING });
  expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
  expect(await stockOf(stack, 'SKU-TEE')).toBe(stockBefore);

  // The Web UI names the timer after what it waits for (decoded through the codec, as the UI does).
  expect(await summariesOf(handle, (e) => e.timerStartedEventAttributes)).toEqual(['review timeout (2s)']);
});

/**
 * One checkout per test payment token of API.md, on the real dev server, checked against the gateways'
 * ledgers, the database and the outcome stream.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { getCheckoutQuery, reviewCheckoutUpdate } from '../../src/contracts/workflow.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants, fetchEvents } from '../support/invariants.ts';
import {
  activityAttempts,
  eventTypesOf,
  ledgerOf,
  newCustomer,
  NOTHING,
  orderOf,
  recordedResultOf,
  reservationsOf,
  statusReached,
  stockOf,
  summariesOf,
} from './support/world.ts';

let stack: CheckoutStack;
beforeAll(async () => {
  stack = await startCheckoutStack();
});
afterEach(async () => {
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const MUGS = [{ sku: 'SKU-MUG', quantity: 2 }];

/** Runs one checkout of two mugs and returns its result with the mug stock before it. */
async function checkout(token: string) {
  const stockBefore = await stockOf(stack, 'SKU-MUG');
  const { checkoutId, handle } = await stack.start({ token, items: MUGS, customer: newCustomer() });
  const result = (await handle.result()) as CheckoutView;
  return { checkoutId, handle, result, stockBefore };
}

describe("the merchant's metadata", () => {
  it('rides along: in the live view, the result, the recorded result and the outcome event', async () => {
    const metadata = { order: 'A-1042', channel: 'web' };
    const { checkoutId, handle } = await stack.start({ items: MUGS, customer: newCustomer(), metadata, clientReferenceId: 'order-1042' });
    const result = (await handle.result()) as CheckoutView;
    expect(result).toMatchObject({ status: 'completed', metadata, clientReferenceId: 'order-1042' });
    expect(await handle.query(getCheckoutQuery)).toMatchObject({ metadata, clientReferenceId: 'order-1042' });
    expect(await recordedResultOf(stack, checkoutId)).toMatchObject({ metadata, clientReferenceId: 'order-1042' });
    const [event] = (await fetchEvents(stack)).filter((e) => e.checkoutId === checkoutId);
    expect(event?.data).toMatchObject({ metadata, clientReferenceId: 'order-1042' });
  });
});

describe('a checkout paid with each test token', () => {
  it('tok_visa: authorizes, creates the order, captures, commits stock and publishes checkout.completed', async () => {
    const { checkoutId, result, stockBefore } = await checkout('tok_visa');

    expect(result).toMatchObject({ status: 'completed', step: 'done', failure: null, amount: { total: 3998, currency: 'USD' } });
    expect(result.payment).toMatchObject({ gateway: 'primary', voidId: null, refundId: null });
    expect(result.timeline.map((t) => t.step)).toEqual([
      'started',
      'inventory_reserved',
      'fraud_scored',
      'payment_authorized',
      'order_created',
      'payment_captured',
      'inventory_committed',
      'done',
    ]);
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(ledger.secondary).toEqual(NOTHING);
    expect(ledger.entries.primary.map((e) => e.idempotencyKey)).toEqual([`${checkoutId}:authorize`, `${checkoutId}:capture`]);
    expect(await orderOf(stack, checkoutId)).toMatchObject({ id: result.orderId, status: 'paid', total: 3998, captureId: result.payment?.captureId });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['committed']);
    expect(await stockOf(stack, 'SKU-MUG')).toBe(stockBefore - 2);
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.completed']);
  });

  it('tok_chargeDeclined: declines with card_declined after one attempt, charges nothing and puts the stock back', async () => {
    const { checkoutId, handle, result, stockBefore } = await checkout('tok_chargeDeclined');

    expect(result).toMatchObject({ status: 'declined', failure: { code: 'card_declined' }, payment: null, orderId: null });
    expect(await ledgerOf(stack, checkoutId)).toMatchObject({ primary: NOTHING, secondary: NOTHING });
    expect(await activityAttempts(handle, 'authorizePayment')).toEqual([{ attempt: 1, lastFailure: null }]);
    expect(await orderOf(stack, checkoutId)).toBeNull();
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
    expect(await stockOf(stack, 'SKU-MUG')).toBe(stockBefore);
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.declined']);
  });

  it('tok_insufficientFunds: declines with insufficient_funds after one attempt and never tries the other gateway', async () => {
    const { checkoutId, handle, result, stockBefore } = await checkout('tok_insufficientFunds');

    expect(result).toMatchObject({ status: 'declined', failure: { code: 'insufficient_funds' }, payment: null });
    expect(await ledgerOf(stack, checkoutId)).toMatchObject({ primary: NOTHING, secondary: NOTHING });
    expect((await activityAttempts(handle, 'authorizePayment')).length).toBe(1);
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
    expect(await stockOf(stack, 'SKU-MUG')).toBe(stockBefore);
  });

  it('tok_flaky: retries through two 503s and authorizes once', async () => {
    const { checkoutId, handle, result } = await checkout('tok_flaky');

    expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'primary' } });
    // The saga paces the attempts itself, one activity each, so it sees that every one said "nothing done".
    expect((await activityAttempts(handle, 'authorizePayment')).map((a) => a.attempt)).toEqual([1, 1, 1]);
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
  });

  it('tok_timeoutAfterCharge: the retry after a lost answer returns the same authorization, so the customer is charged once', async () => {
    const { checkoutId, handle, result } = await checkout('tok_timeoutAfterCharge');

    expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'primary' } });
    // The lost answer ends the first attempt; the recovery asks again with the same key and gets it at once.
    expect((await activityAttempts(handle, 'authorizePayment')).map((a) => a.attempt)).toEqual([1, 1]);
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(ledger.secondary).toEqual(NOTHING);
    expect(result.payment?.authorizationId).toBe(ledger.entries.primary[0]?.id);
  });

  it('tok_captureFails: voids the authorization, cancels the order and releases the stock', async () => {
    const { checkoutId, result, stockBefore } = await checkout('tok_captureFails');

    expect(result).toMatchObject({ status: 'failed', failure: { code: 'capture_failed' }, payment: { captureId: null, refundId: null } });
    expect(result.payment?.voidId).toEqual(expect.any(String));
    expect(result.timeline.map((t) => t.step).slice(-3)).toEqual(['compensating', 'compensated', 'done']);
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, void: 1 });
    expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'cancelled', captureId: null });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
    expect(await stockOf(stack, 'SKU-MUG')).toBe(stockBefore);
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.failed']);
  });

  it('tok_primaryDown: fails over to the secondary gateway, which authorizes and captures; the primary did nothing', async () => {
    const { checkoutId, result } = await checkout('tok_primaryDown');

    expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'secondary' } });
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.entries.primary).toEqual([]);
    expect(ledger.secondary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
  });

  it('tok_riskReview: holds the checkout with its stock given back and nothing authorized until an operator approves it', async () => {
    const stockBefore = await stockOf(stack, 'SKU-MUG');
    const { checkoutId, handle } = await stack.start({ token: 'tok_riskReview', items: MUGS, customer: newCustomer() });

    const held = await statusReached(handle, 'awaiting_review');
    expect(held).toMatchObject({ step: 'awaiting_review', fraud: { decision: 'review' }, payment: null });
    expect(await ledgerOf(stack, checkoutId)).toMatchObject({ primary: NOTHING, secondary: NOTHING });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
    expect(await stockOf(stack, 'SKU-MUG')).toBe(stockBefore);

    const outcome = await handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'approve', note: 'known customer', operator: 'op_test' }] });
    expect(outcome).toMatchObject({ accepted: true, checkout: { review: { decision: 'approve', note: 'known customer' } } });

    const result = (await handle.result()) as CheckoutView;
    expect(result).toMatchObject({ status: 'completed', review: { decision: 'approve' } });
    expect(result.timeline.map((t) => t.step)).toContain('review_approved');
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['committed']);
    expect(await stockOf(stack, 'SKU-MUG')).toBe(stockBefore - 2);
  });

  it('tok_riskHighest: declines with fraud_declined before any authorization and puts the stock back', async () => {
    const { checkoutId, handle, result, stockBefore } = await checkout('tok_riskHighest');

    expect(result).toMatchObject({ status: 'declined', failure: { code: 'fraud_declined' }, fraud: { decision: 'decline' }, payment: null });
    expect(await activityAttempts(handle, 'authorizePayment')).toEqual([]);
    expect(await ledgerOf(stack, checkoutId)).toMatchObject({ primary: NOTHING, secondary: NOTHING });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
    expect(await stockOf(stack, 'SKU-MUG')).toBe(stockBefore);
  });
});

describe('a checkout for more than the shelf holds', () => {
  it('declines with out_of_stock, reserves nothing and never scores or charges', async () => {
    const stockBefore = await stockOf(stack, 'SKU-LIMITED');
    const { checkoutId, handle } = await stack.start({ token: 'tok_visa', items: [{ sku: 'SKU-LIMITED', quantity: stockBefore + 1 }], customer: newCustomer() });
    const result = await handle.result();

    expect(result).toMatchObject({ status: 'declined', failure: { code: 'out_of_stock' }, fraud: null, payment: null });
    expect(await activityAttempts(handle, 'reserveInventory')).toEqual([{ attempt: 1, lastFailure: null }]);
    expect(await activityAttempts(handle, 'scoreFraud')).toEqual([]);
    expect(await ledgerOf(stack, checkoutId)).toMatchObject({ primary: NOTHING, secondary: NOTHING });
    expect(await reservationsOf(stack, checkoutId)).toEqual([]);
    expect(await stockOf(stack, 'SKU-LIMITED')).toBe(stockBefore);
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.declined']);
  });
});

describe('a checkout in a currency without minor units', () => {
  it('shows JPY amounts as yen, not hundredths of them, in the capture step and the Web UI details', async () => {
    const { handle } = await stack.start({ token: 'tok_visa', currency: 'JPY', items: [{ sku: 'SKU-STICKER', quantity: 2 }], customer: newCustomer() });
    const result = (await handle.result()) as CheckoutView;
    expect(result).toMatchObject({ status: 'completed', amount: { total: 1500, currency: 'JPY' } });
    expect(await summariesOf(handle, (e) => e.markerRecordedEventAttributes)).toContain('Capture JPY 1500 on primary');
    const { currentDetails } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(currentDetails).toContain('JPY 1500 · 1 line(s)');
  });
});

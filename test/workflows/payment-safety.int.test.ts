/**
 * The rare ways to be wrong with money: a gateway whose effect is unknown (answer lost, then outages; an
 * answer that cannot be read), a capture whose answers are lost, and compensations the gateway refuses for
 * good. Through the real dev server and the gateway simulators, with a proxy in front of the primary.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { searchAttributes } from '../../src/contracts/workflow.ts';
import { Registry } from 'prom-client';
import { registerEscalationGauge } from '../../api/metrics.ts';
import { countCheckoutsInStatus } from '../../src/checkouts/temporal-checkouts.ts';
import type { CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { waitFor } from '../support/wait-for.ts';
import { isAuthorization, isCapture, isVoid, type GatewayProxy } from './support/gateway-proxy.ts';
import { startProxiedStack, type ProxiedStack } from './support/proxied-stack.ts';
import { activityAttempts, eventTypesOf, ledgerOf, newCustomer, NOTHING, orderOf, reservationsOf } from './support/world.ts';

let world: ProxiedStack;
let proxy: GatewayProxy;
let stack: CheckoutStack;

beforeAll(async () => {
  ({ stack, proxy } = world = await startProxiedStack());
});
afterEach(async () => {
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await world?.stop();
});

const run = async (token: string) => {
  const { checkoutId, handle } = await stack.start({ token, customer: newCustomer() });
  return { checkoutId, handle, result: (await handle.result()) as CheckoutView };
};
const requestsFor = (checkoutId: string, match: typeof isVoid) => proxy.requests.filter((r) => match(r) && r.idempotencyKey?.startsWith(`${checkoutId}:`));

describe('an authorization whose effect is unknown is recovered on the same gateway, never failed over', () => {
  it('tok_lostThenUnavailable: the first answer is lost, then the gateway answers 503 — the customer is authorized once, on the primary', async () => {
    const { checkoutId, handle, result } = await run('tok_lostThenUnavailable');

    expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'primary' } });
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(ledger.secondary).toEqual(NOTHING);
    // One attempt, its answer lost; then the recovery, through three 503s.
    expect((await activityAttempts(handle, 'authorizePayment')).map((a) => a.attempt)).toEqual([1, 4]);
  });

  it.each([
    ['a 2xx whose body is not an authorization', { status: 200, body: '{"id":' }],
    ['a 4xx without the error shape', { status: 400, body: { message: 'Bad request' } }],
    ['a 502 from something in between', { status: 502, body: '<html>Bad gateway</html>' }],
  ])('%s, on every attempt of the failover budget, does not fail over', async (_name, answer) => {
    const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
    proxy.replaceAnswers((r) => isAuthorization(r) && r.idempotencyKey === `${checkoutId}:authorize`, answer, 4);
    const result = (await handle.result()) as CheckoutView;

    expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'primary' } });
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(ledger.secondary).toEqual(NOTHING);
    expect(result.payment?.authorizationId).toBe(ledger.entries.primary[0]?.id);
  });

  it('fails over after four answers that each said nothing was done', async () => {
    const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
    proxy.answer((r) => isAuthorization(r) && r.idempotencyKey === `${checkoutId}:authorize`, { status: 503, body: { error: { code: 'unavailable', message: 'down' } } }, 4);
    const result = (await handle.result()) as CheckoutView;

    expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'secondary' } });
    expect(requestsFor(checkoutId, isAuthorization)).toHaveLength(4);
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual(NOTHING);
    expect(ledger.secondary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
  });
});

describe('a capture whose answers are lost', () => {
  it('tok_captureAnswerLost: is recovered with the same key and the checkout completes, captured once', async () => {
    const { checkoutId, result } = await run('tok_captureAnswerLost');

    expect(result).toMatchObject({ status: 'completed', failure: null });
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(result.payment?.captureId).toBe(ledger.entries.primary.find((e) => e.kind === 'capture')?.id);
    expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'paid', captureId: result.payment?.captureId });
  });

  it('is refunded when the gateway never answers in time: the void is refused as captured, so the saga learns the capture and refunds it', async () => {
    const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
    // The capture attempts and the recovery's: each reaches the gateway, and each answer is lost.
    proxy.replaceAnswers((r) => isCapture(r) && r.idempotencyKey === `${checkoutId}:capture`, { status: 502, body: 'bad gateway' }, 9);
    const result = (await handle.result()) as CheckoutView;

    expect(result).toMatchObject({ status: 'failed', failure: { code: 'capture_failed' }, compensation: { pending: [], escalated: [] } });
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1, refund: 1 });
    expect(result.payment).toMatchObject({ captureId: ledger.entries.primary.find((e) => e.kind === 'capture')?.id, refundId: expect.any(String), voidId: null });
    expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'cancelled' });
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.failed']);
  });
});

describe('an authorization whose hold lapses', () => {
  it('tok_shortHold: the gateway says when the hold ends; a capture too late is refused and the lapsed authorization needs no void', async () => {
    const capture = proxy.holdRequests(isCapture);
    try {
      const { checkoutId, handle } = await stack.start({ token: 'tok_shortHold', customer: newCustomer() });
      await capture.arrived;
      const held = await handle.query<CheckoutView>('getCheckout');
      expect(Date.parse(held.payment!.expiresAt!) - Date.parse(held.createdAt)).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // the hold (2 s) runs out while the capture waits
      capture.release();

      const result = (await handle.result()) as CheckoutView;
      expect(result).toMatchObject({ status: 'failed', failure: { code: 'capture_failed' }, compensation: { pending: [], escalated: [] } });
      expect(result.failure?.message).toContain('lapsed');
      expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, expiry: 1 });
      expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'cancelled' });
    } finally {
      capture.release();
    }
  });
});

describe('compensations the gateway refuses', () => {
  it('a void refused as already voided counts as done', async () => {
    const { checkoutId, handle } = await stack.start({ token: 'tok_captureFails', customer: newCustomer() });
    proxy.replaceAnswers((r) => isVoid(r) && r.idempotencyKey === `${checkoutId}:void`, { status: 409, body: { error: { code: 'authorization_voided', message: 'already voided' } } }, 1);
    const result = (await handle.result()) as CheckoutView;

    expect(result).toMatchObject({ status: 'failed', compensation: { pending: [], attempts: 0, lastError: null, escalated: [] } });
    expect(requestsFor(checkoutId, isVoid)).toHaveLength(1);
  });

  it('a void the gateway can never do escalates: a final status operators can find, stock released, the order cancelled, one event', async () => {
    const { checkoutId, handle } = await stack.start({ token: 'tok_captureFails', customer: newCustomer() });
    proxy.answer((r) => isVoid(r) && r.idempotencyKey === `${checkoutId}:void`, { status: 404, body: { error: { code: 'not_found', message: 'No such authorization' } } }, 1);
    const result = (await handle.result()) as CheckoutView;

    expect(result).toMatchObject({ status: 'escalated', step: 'done', failure: { code: 'capture_failed' }, compensation: { pending: [] } });
    expect(result.compensation?.escalated).toEqual([{ step: 'void authorization', reason: expect.stringContaining('not_found') }]);
    expect(result.timeline.map((t) => t.step)).toContain('escalated');
    expect(requestsFor(checkoutId, isVoid)).toHaveLength(1);
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
    expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'cancelled' });
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.escalated']);
    expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.status)).toBe('escalated');
    expect(await countCheckoutsInStatus(stack.database.db, 'escalated')).toBe(1);
    const registry = new Registry();
    registerEscalationGauge(registry, () => countCheckoutsInStatus(stack.database.db, 'escalated'), async () => 0);
    expect(await registry.metrics()).toContain('checkouts_escalated 1');
  });

  it('a void that keeps failing does not hold the stock: the other compensations run meanwhile', async () => {
    const { checkoutId, handle } = await stack.start({ token: 'tok_captureFails', customer: newCustomer() });
    proxy.answer((r) => isVoid(r) && r.idempotencyKey === `${checkoutId}:void`, { status: 409, body: { error: { code: 'try_later', message: 'void refused for now' } } }, 1);

    const stuck = await waitFor(async () => {
      const view = await handle.query<CheckoutView>('getCheckout');
      return view.compensation?.lastError ? view : undefined;
    }, { what: 'the refused void to show' });
    expect(stuck).toMatchObject({ status: 'compensating', compensation: { pending: ['void authorization'], attempts: 1 } });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);

    const result = (await handle.result()) as CheckoutView;
    expect(result).toMatchObject({ status: 'failed', compensation: { pending: [], lastError: null, escalated: [] } });
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, void: 1 });
  });
});

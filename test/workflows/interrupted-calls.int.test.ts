/**
 * Gateway calls that go wrong in the network or in the worker, not at the bank: a proxy in front of the
 * primary gateway drops, refuses, holds or swallows chosen calls, and a worker dies in the middle of one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelCheckoutUpdate, type CheckoutView } from '../../src/contracts/checkout.ts';
import { startWorkerRole, type RunningWorker } from '../../src/main/worker-role.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { isAuthorization, isCapture, isVoid, startGatewayProxy, type GatewayProxy } from './support/gateway-proxy.ts';
import { waitFor } from '../support/wait-for.ts';
import { activityAttempts, ledgerOf, newCustomer, NOTHING, orderOf, reservationsOf, stockOf } from './support/world.ts';

let proxy: GatewayProxy;
let stack: CheckoutStack;
const replacements: RunningWorker[] = [];

beforeAll(async () => {
  proxy = await startGatewayProxy();
  stack = await startCheckoutStack({ env: { PRIMARY_GATEWAY_URL: proxy.url } });
  proxy.target = stack.simulators.urls.primaryGateway;
});
afterEach(async () => {
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await Promise.all(replacements.map((w) => w.stop()));
  await stack?.stop();
  await proxy?.close();
});

const unavailable = { status: 503, body: { error: { code: 'unavailable', message: 'try again' } } };
const requestsFor = (checkoutId: string, match: typeof isVoid) => proxy.requests.filter((r) => match(r) && r.idempotencyKey?.startsWith(`${checkoutId}:`));

describe('a compensation that fails', () => {
  it('is retried through transient 503s until the gateway voids the authorization, once', async () => {
    proxy.answer(isVoid, unavailable, 2);
    const stockBefore = await stockOf(stack, 'SKU-MUG');
    const { checkoutId, handle } = await stack.start({ token: 'tok_captureFails', customer: newCustomer() });
    const result = (await handle.result()) as CheckoutView;

    expect(result).toMatchObject({ status: 'failed', failure: { code: 'capture_failed' }, compensation: { pending: [], lastError: null } });
    expect(requestsFor(checkoutId, isVoid).map((r) => r.idempotencyKey)).toEqual(Array(3).fill(`${checkoutId}:void`));
    expect((await activityAttempts(handle, 'voidPayment')).map((a) => a.attempt)).toEqual([3]);
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, void: 1 });
    expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'cancelled' });
    expect(await stockOf(stack, 'SKU-MUG')).toBe(stockBefore);
  });

  it('stays pending and visible while the gateway refuses it, and runs again until it succeeds', async () => {
    proxy.answer(isVoid, { status: 409, body: { error: { code: 'try_later', message: 'void refused for now' } } }, 1);
    const { checkoutId, handle } = await stack.start({ token: 'tok_captureFails', customer: newCustomer() });

    const stuck = await waitFor(async () => {
      const view = await handle.query<CheckoutView>('getCheckout');
      return view.compensation?.lastError ? view : undefined;
    }, { what: 'the refused void to show' });
    expect(stuck).toMatchObject({ status: 'compensating', compensation: { pending: ['void authorization', 'release inventory'], attempts: 1 } });
    expect(stuck.compensation?.lastError).toContain('void refused for now');

    const result = (await handle.result()) as CheckoutView;
    expect(result).toMatchObject({ status: 'failed', compensation: { pending: [], attempts: 1, lastError: null } });
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, void: 1 });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
  });
});

describe('a cancel that comes too late', () => {
  it('is refused once capture has begun, and the checkout completes', async () => {
    const capture = proxy.holdRequests(isCapture);
    try {
      const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
      await capture.arrived;

      const outcome = await handle.executeUpdate(cancelCheckoutUpdate, { args: [{ reason: 'too late' }] });
      expect(outcome).toMatchObject({ accepted: false, checkout: { step: 'order_created' } });
      expect(outcome.accepted === false && outcome.reason).toContain('capture has begun');

      capture.release();
      const result = (await handle.result()) as CheckoutView;
      expect(result).toMatchObject({ status: 'completed', failure: null });
      expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    } finally {
      capture.release();
    }
  });
});

describe('a gateway whose answers are lost', () => {
  it('is asked again with the same key instead of failing over, so the customer is authorized once', async () => {
    const lost = proxy.withholdAnswers(isAuthorization, 4);
    try {
      const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
      const result = (await handle.result()) as CheckoutView;

      expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'primary' } });
      expect(lost.held).toBe(4);
      expect((await activityAttempts(handle, 'authorizePayment')).map((a) => a.attempt)).toEqual([4, 1]);
      const ledger = await ledgerOf(stack, checkoutId);
      expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
      expect(ledger.secondary).toEqual(NOTHING);
    } finally {
      lost.release();
    }
  });
});

describe('a worker that dies in the middle of a gateway call', () => {
  it('is replaced, the call is retried on the new worker, and the customer is charged once', async () => {
    // The stack's worker steps aside for one whose gateway calls wait long enough to be cut off.
    await stack.worker.stop();
    const infra = inject('infra');
    const doomed = await startWorkerRole({
      config: { ...stack.config, services: { ...stack.config.services, gatewayTimeoutMs: 60_000 } },
      db: stack.database.db,
      nc: stack.nc,
      names: stack.names,
      workflowBundle: { codePath: infra.workflowBundlePath },
      shutdownGraceTime: '500ms',
    });
    const lost = proxy.withholdAnswers(isAuthorization, 1);
    try {
      const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
      await lost.arrived;
      // The gateway has authorized; the worker that asked will never hear back.
      expect((await ledgerOf(stack, checkoutId)).primary.authorization).toBe(1);
      doomed.worker.shutdown();
      replacements.push(await stack.startWorker());

      const result = (await handle.result()) as CheckoutView;
      expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'primary' } });
      const [attempt] = await activityAttempts(handle, 'authorizePayment');
      expect(attempt).toMatchObject({ attempt: 2, lastFailure: expect.stringMatching(/timeout/i) });
      const ledger = await ledgerOf(stack, checkoutId);
      expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
      expect(ledger.secondary).toEqual(NOTHING);
      expect(result.payment?.authorizationId).toBe(ledger.entries.primary[0]?.id);
    } finally {
      lost.release();
      await doomed.stop().catch(() => undefined);
    }
  });
});

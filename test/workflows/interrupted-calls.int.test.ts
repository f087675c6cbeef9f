/**
 * Gateway calls that go wrong in the network or in the worker, not at the bank: a proxy in front of the
 * primary gateway drops, refuses, holds or swallows chosen calls, and a worker dies in the middle of one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { cancelCheckoutUpdate } from '../../src/contracts/workflow.ts';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { startWorkerRole, type RunningWorker } from '../../src/roles/worker-role.ts';
import type { CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { isAuthorization, isCapture, isVoid, type GatewayProxy } from './support/gateway-proxy.ts';
import { startProxiedStack, type ProxiedStack } from './support/proxied-stack.ts';
import { waitFor } from '../support/wait-for.ts';
import { activityAttempts, ledgerOf, newCustomer, NOTHING, orderOf, stockOf } from './support/world.ts';

let world: ProxiedStack;
let proxy: GatewayProxy;
let stack: CheckoutStack;
const replacements: RunningWorker[] = [];

beforeAll(async () => {
  ({ stack, proxy } = world = await startProxiedStack());
});
afterEach(async () => {
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await Promise.all(replacements.map((w) => w.stop()));
  await world?.stop();
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
});

describe('a cancel that comes too late', () => {
  it('is refused once capture has begun, and the checkout completes', async () => {
    const capture = proxy.holdRequests(isCapture);
    try {
      const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
      await capture.arrived;

      const refused = await handle.executeUpdate(cancelCheckoutUpdate, { args: [{ reason: 'too late' }] }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refused as WorkflowUpdateFailedError).cause?.message).toContain('capture has begun');

      capture.release();
      const result = (await handle.result()) as CheckoutView;
      expect(result).toMatchObject({ status: 'completed', failure: null });
      expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    } finally {
      capture.release();
    }
  });
});

describe('a cancel during authorization', () => {
  it('while the batch that authorizes runs is answered when the batch ends: it went on to capture, so the cancel is refused', async () => {
    const authorization = proxy.holdRequests(isAuthorization);
    try {
      const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
      await authorization.arrived;
      const answer = handle.executeUpdate(cancelCheckoutUpdate, { args: [{ reason: 'changed my mind' }] }).then(
        () => undefined,
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      authorization.release();
      const refused = await answer;
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refused as WorkflowUpdateFailedError).cause?.message).toMatch(/already completed|capture has begun/);

      expect(await handle.result()).toMatchObject({ status: 'completed', failure: null });
      expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    } finally {
      authorization.release();
    }
  });

  it('in a pause between attempts is accepted with the next attempt’s result: the saga voids it without ever creating the order', async () => {
    const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
    // Three attempts say "nothing done"; their pauses (0.5 s, 1 s, 2 s) are timers, each its own task.
    proxy.answer((r) => isAuthorization(r) && r.idempotencyKey === `${checkoutId}:authorize`, unavailable, 3);
    const events = async () => (await handle.fetchHistory()).events ?? [];
    await waitFor(async () => ((await events()).some((e) => e.timerStartedEventAttributes) ? true : undefined), { what: 'the first pause', intervalMs: 20 });
    const answer = await handle.executeUpdate(cancelCheckoutUpdate, { args: [{ reason: 'changed my mind' }] });
    expect(answer.accepted).toBe(true);

    const result = (await handle.result()) as CheckoutView;
    expect(result).toMatchObject({ status: 'cancelled', failure: { code: 'cancelled_by_client' }, orderId: null });
    expect(result.timeline.map((t) => t.step)).not.toContain('order_created');
    expect(await orderOf(stack, checkoutId)).toBeNull();
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, void: 1 });
    // The cancel came in a task of its own, before the timer that let the last attempt go.
    const history = await events();
    const acceptedAt = history.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    const lastPauseFiredAt = history.findLastIndex((e) => e.timerFiredEventAttributes);
    expect(acceptedAt).toBeGreaterThan(-1);
    expect(acceptedAt).toBeLessThan(lastPauseFiredAt);
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
      // The first attempt's answer is lost: the recovery asks again until an answer comes through.
    expect((await activityAttempts(handle, 'authorizePayment')).map((a) => a.attempt)).toEqual([1, 4]);
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
      // Temporal timed the attempt out: its effect is unknown, so the recovery asks the same gateway again.
      expect(await activityAttempts(handle, 'authorizePayment')).toEqual([
        { attempt: 1, lastFailure: null },
        { attempt: 1, lastFailure: null },
      ]);
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

/**
 * A gateway that refuses for its own reasons — a wrong or rotated API key — is not a declined card: the saga
 * fails over, the customer is charged on the other gateway, and operators are told which gateway refused,
 * by a metric and a log line of the worker process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutView } from '../../src/contracts/checkout.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';
import { ledgerOf, newCustomer, NOTHING } from './support/world.ts';

let stack: CheckoutStack;
let worker: WorkerProcess;

beforeAll(async () => {
  stack = await startCheckoutStack({ worker: false });
  worker = await startWorkerProcess(stack);
});
afterEach(async () => {
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

describe('tok_gatewayMisconfigured: the primary gateway answers 401 unauthorized to every authorization', () => {
  it('completes on the secondary, tells the customer nothing of a decline, and names the primary to operators', async () => {
    const { checkoutId, handle } = await stack.start({ token: 'tok_gatewayMisconfigured', customer: newCustomer() });
    const result = (await handle.result()) as CheckoutView;

    expect(result).toMatchObject({ status: 'completed', failure: null, payment: { gateway: 'secondary' } });
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual(NOTHING);
    expect(ledger.secondary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });

    const metrics = await (await fetch(worker.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_refusals\{[^}]*code="unauthorized"[^}]*gateway="primary"[^}]*kind="merchant"[^}]*\} 1/);
    expect(worker.output()).toMatch(/the primary gateway refused an authorization for a reason that is not the card's \(merchant: unauthorized\)/);
  });
});

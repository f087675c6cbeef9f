/**
 * The token table of API.md, as a storefront sees it: each token through `POST /v1/checkouts` in
 * synchronous mode ends in its stated status and failure code, and the gateway ledgers show exactly the
 * effects it implies.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApiServer } from '../../api/server.ts';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { checkoutWorkflowId } from '../../src/contracts/workflow.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startApiRole } from '../../src/roles/api-role.ts';
import { checkoutRequest, startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { waitFor } from '../support/wait-for.ts';
import { ledgerOf, newCustomer } from '../workflows/support/world.ts';
import { charged, TOKEN_TABLE as table } from './token-table.ts';

let stack: CheckoutStack;
let api: RunningApiServer;
beforeAll(async () => {
  stack = await startCheckoutStack({ env: { ENABLE_DEV_KEYS: 'true' } });
  api = await startApiRole({
    config: { ...stack.config, api: { ...stack.config.api, port: 0 } },
    database: stack.database,
    client: stack.client,
    nc: stack.nc,
    logger: createLogger({ level: 'silent' }),
  });
});
afterEach(async () => {
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const merchant = { authorization: 'Bearer dev_merchant_key', 'content-type': 'application/json' };

async function postCheckout(token: string, wait: number) {
  const response = await fetch(`${api.url}/v1/checkouts`, {
    method: 'POST',
    headers: { ...merchant, prefer: `wait=${wait}` },
    body: JSON.stringify(checkoutRequest({ token, customer: newCustomer() })),
  });
  return { status: response.status, body: (await response.json()) as CheckoutView };
}

describe('POST /v1/checkouts with Prefer: wait=30, one test token at a time', () => {
  it.each(table)('$token ends $status ($code)', async ({ token, status, code, primary, secondary }) => {
    const { status: http, body } = await postCheckout(token, 30);
    expect(http).toBe(200);
    expect(body.status).toBe(status);
    expect(body.failure?.code ?? null).toBe(code);
    const ledger = await ledgerOf(stack, body.id);
    expect(ledger.primary).toEqual(primary);
    expect(ledger.secondary).toEqual(secondary);
  });

  it('tok_riskReview answers 202 once the wait runs out, is held for review, and completes once an operator approves it over HTTP', async () => {
    const { status: http, body } = await postCheckout('tok_riskReview', 3);
    // Not final when the wait runs out: the answer is the checkout as it stood — held for review, or, on a
    // machine slow enough that scoring took longer than the wait, not there yet.
    expect(http).toBe(202);
    expect(['pending', 'awaiting_review']).toContain(body.status);
    const getCheckout = async () => (await (await fetch(`${api.url}/v1/checkouts/${body.id}`, { headers: merchant })).json()) as CheckoutView;
    await waitFor(async () => (await getCheckout()).status === 'awaiting_review', { what: 'the checkout to be held for review' });

    const review = await fetch(`${api.url}/v1/checkouts/${body.id}/review`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev_operator_key', 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', note: 'called the customer' }),
    });
    expect(review.status).toBe(200);
    const view = await waitFor(async () => {
      const current = await getCheckout();
      return current.status === 'completed' ? current : undefined;
    }, { what: 'the approved checkout to complete' });
    expect(view.status).toBe('completed');
    // The live status turns final a moment before the saga has stored it and published its event; the
    // invariants checked after this test expect both, so let the workflow close first.
    await stack.client.workflow.getHandle(checkoutWorkflowId(body.id)).result();
    expect((await ledgerOf(stack, body.id)).primary).toEqual(charged);
  });
});

/**
 * What operators and clients can do to a running checkout — decide a fraud review, cancel — and what they
 * can see of it in Temporal: search attributes that find it, and no personal data where anyone can list it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { cancelCheckoutUpdate, checkoutWorkflowId, reviewCheckoutUpdate, searchAttributes } from '../../src/contracts/workflow.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { waitFor } from '../support/wait-for.ts';
import { activityAttempts, ledgerOf, newCustomer, NOTHING, orderOf, recordOf, reservationsOf, statusReached, stockOf } from './support/world.ts';

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

const HOODIE = [{ sku: 'SKU-HOODIE', quantity: 1 }];

/** Starts a tok_riskReview checkout and waits until it is held for review. */
async function heldForReview() {
  const stockBefore = await stockOf(stack, 'SKU-HOODIE');
  const { checkoutId, handle } = await stack.start({ token: 'tok_riskReview', items: HOODIE, customer: newCustomer() });
  await statusReached(handle, 'awaiting_review');
  // The merchant's list shows it held too, recorded by the step that released its stock.
  expect(await recordOf(stack, checkoutId)).toMatchObject({ status: 'awaiting_review', finished: false });
  return { checkoutId, handle, stockBefore };
}

describe('a checkout held for fraud review', () => {
  it('is declined with review_rejected when an operator rejects it, and its stock goes back', async () => {
    const { checkoutId, handle, stockBefore } = await heldForReview();

    const outcome = await handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'reject', note: 'stolen card reported', operator: 'op_test' }] });
    expect(outcome.accepted).toBe(true);

    const result = (await handle.result()) as CheckoutView;
    expect(result).toMatchObject({ status: 'declined', failure: { code: 'review_rejected', message: 'stolen card reported' }, review: { decision: 'reject' } });
    expect(await activityAttempts(handle, 'authorizePayment')).toEqual([]);
    expect(await ledgerOf(stack, checkoutId)).toMatchObject({ primary: NOTHING, secondary: NOTHING });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
    expect(await stockOf(stack, 'SKU-HOODIE')).toBe(stockBefore);
    expect(await recordOf(stack, checkoutId)).toMatchObject({ status: 'declined', finished: true });
  });

  it('accepts one decision only: a second review is refused', async () => {
    const { handle } = await heldForReview();

    const answers = await Promise.allSettled([
      handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'approve', operator: 'op_a' }] }),
      handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'reject', operator: 'op_b' }] }),
    ]);
    const accepted = answers.flatMap((a) => (a.status === 'fulfilled' && a.value.accepted ? [a.value] : []));
    const refused = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason as unknown] : []));
    expect(accepted).toHaveLength(1);
    // The validator refuses the other: it never reaches the history.
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused[0] as WorkflowUpdateFailedError).cause?.message).toContain('not awaiting review');
    const result = (await handle.result()) as CheckoutView;
    expect(result.status).toBe(accepted[0]?.checkout.review?.decision === 'approve' ? 'completed' : 'declined');
    const updates = (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(updates).toHaveLength(1);
  });

  it('is cancelled with cancelled_by_client when the client cancels it: nothing authorized, stock back', async () => {
    const { checkoutId, handle, stockBefore } = await heldForReview();

    const outcome = await handle.executeUpdate(cancelCheckoutUpdate, { args: [{ reason: 'changed my mind' }] });
    expect(outcome.accepted).toBe(true);

    const result = (await handle.result()) as CheckoutView;
    expect(result).toMatchObject({ status: 'cancelled', failure: { code: 'cancelled_by_client' }, payment: null, orderId: null });
    expect(await ledgerOf(stack, checkoutId)).toMatchObject({ primary: NOTHING, secondary: NOTHING });
    expect(await orderOf(stack, checkoutId)).toBeNull();
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
    expect(await stockOf(stack, 'SKU-HOODIE')).toBe(stockBefore);
  });
});

describe('search attributes', () => {
  const temporal = (...args: string[]) => promisify(execFile)(inject('infra').temporalCli, [...args, '--address', inject('infra').temporalAddress]);

  it('find a declined checkout with the temporal CLI and the client, and hold no email or payment token', async () => {
    const customer = newCustomer();
    const { checkoutId, handle } = await stack.start({ token: 'tok_chargeDeclined', customer });
    expect(((await handle.result()) as CheckoutView).status).toBe('declined');
    const workflowId = checkoutWorkflowId(checkoutId);
    const query = `CheckoutStatus = 'declined' AND CustomerId = '${customer.id}'`;

    // Visibility is eventually consistent: poll until the listing catches up.
    const listed = await waitFor(async () => {
      const { stdout } = await temporal('workflow', 'list', '--query', query, '--output', 'jsonl');
      const rows = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { execution: { workflowId: string } });
      return rows.length > 0 ? rows : undefined;
    }, { what: 'the CLI to list the declined checkout' });
    expect(listed.map((r) => r.execution.workflowId)).toEqual([workflowId]);

    const viaClient: string[] = [];
    for await (const execution of stack.client.workflow.list({ query })) viaClient.push(execution.workflowId);
    expect(viaClient).toEqual([workflowId]);

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(searchAttributes.status)).toBe('declined');
    expect(description.typedSearchAttributes.get(searchAttributes.customerId)).toBe(customer.id);
    expect(description.typedSearchAttributes.get(searchAttributes.total)).toBe(3998);
    expect(description.typedSearchAttributes.get(searchAttributes.fraudDecision)).toBe('approve');

    const { stdout: shown } = await temporal('workflow', 'describe', '--workflow-id', workflowId, '--output', 'json');
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain(customer.id);
    const visible = [
      workflowId,
      JSON.stringify(description.typedSearchAttributes),
      JSON.stringify((JSON.parse(shown) as { workflowExecutionInfo: { searchAttributes: unknown } }).workflowExecutionInfo.searchAttributes),
      metadata.currentDetails,
    ];
    for (const text of visible) {
      expect(text).not.toContain(customer.email);
      expect(text).not.toContain('example.com');
      expect(text).not.toContain('tok_');
    }
  });
});

/**
 * The worker's sandbox takes no stack frames (workflows/sandbox-stacks.ts): the SDK keeps no stack per
 * workflow promise, so the Web UI's Stack Trace tab of a running checkout is empty, and an error made in
 * workflow code keeps its message without frames. Fails if the module falls out of the bundle the worker loads.
 * WORKFLOW_STACK_TRACES=true brings the stacks back (the worker bundles at start without the module).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { reviewCheckoutUpdate } from '../../src/contracts/workflow.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { newCustomer, statusReached } from './support/world.ts';

let stack: CheckoutStack;
let withStacks: CheckoutStack;
beforeAll(async () => {
  [stack, withStacks] = await Promise.all([startCheckoutStack(), startCheckoutStack({ env: { WORKFLOW_STACK_TRACES: 'true' }, workflowBundle: 'bundle at start' })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([stack?.stop(), withStacks?.stop()]);
});

describe('stack traces in the workflow sandbox', () => {
  it('are not kept: the Stack Trace queries of a checkout held for review answer empty, and an error keeps its message only', async () => {
    const { handle } = await stack.start({ token: 'tok_riskReview', items: [{ sku: 'SKU-HOODIE', quantity: 1 }], customer: newCustomer() });
    await statusReached(handle, 'awaiting_review');

    // What the Web UI's Stack Trace tab asks; with the SDK's default, the saga's await in awaitReview (checkout.ts).
    expect(await handle.query<string>('__stack_trace')).toBe('');
    expect(await handle.query<{ stacks: unknown[] }>('__enhanced_stack_trace')).toMatchObject({ sdk: { name: 'typescript' }, stacks: [] });

    // An update's refusal is an error thrown in workflow code (the validator): its message, and no frames.
    await handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'approve', operator: 'op_a' }] });
    const refused = await handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'reject', operator: 'op_b' }] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause;
    expect(cause?.message).toMatch(/not awaiting review$/);
    expect(cause?.stack).toBe(`Error: ${cause?.message}`);

    expect(((await handle.result()) as CheckoutView).status).toBe('completed');
  });

  it('are kept with WORKFLOW_STACK_TRACES=true: the Stack Trace query shows where a held checkout waits', async () => {
    const { handle } = await withStacks.start({ token: 'tok_riskReview', items: [{ sku: 'SKU-HOODIE', quantity: 1 }], customer: newCustomer() });
    await statusReached(handle, 'awaiting_review');
    expect(await handle.query<string>('__stack_trace')).toMatch(/awaitReview/);
    await handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'reject', operator: 'op_a' }] });
    expect(((await handle.result()) as CheckoutView).status).toBe('declined');
  });
});

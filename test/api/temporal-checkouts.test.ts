/** The Temporal port's start options and error mapping, on a stub client (the real server is in checkouts-port.int.test.ts). */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { CheckoutWorkflowInput } from '../../src/contracts/workflow.ts';
import type { Database } from '../../src/platform/db/client.ts';
import { checkoutSummary, classifyTemporalError, CheckoutsUnavailableError, createTemporalCheckouts } from '../../src/checkouts/temporal-checkouts.ts';

const input: CheckoutWorkflowInput = {
  checkoutId: 'chk_abc',
  merchantId: 'mer_1',
  customer: { id: 'cus_1', email: 'ada@example.com', name: 'Ada' },
  items: [{ sku: 'SKU-MUG', name: 'Enamel mug', quantity: 2, unitAmount: 1999 }],
  amount: { total: 3998, currency: 'USD' },
  paymentToken: 'tok_visa',
  shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
  createdAt: '2026-11-22T10:00:00.000Z',
  reviewTimeoutMs: 60_000,
};

function stubClient(start: (type: string, options: Record<string, unknown>) => Promise<unknown>) {
  const calls: { type: string; options: Record<string, unknown> }[] = [];
  const client = {
    connection: { withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() },
    workflow: {
      start: async (type: string, options: Record<string, unknown>) => {
        calls.push({ type, options });
        return start(type, options);
      },
    },
  } as unknown as Client;
  return { client, calls };
}

describe('createTemporalCheckouts().start', () => {
  it('starts the workflow by type name with a deterministic id, the conflict policies, its merchant as fairness key and search attributes', async () => {
    const { client, calls } = stubClient(async () => ({}));
    await createTemporalCheckouts({ client, taskQueue: 'checkout-q', db: {} as Database }).start(input, { idempotent: true });
    expect(calls).toHaveLength(1);
    const { type, options } = calls[0]!;
    expect(type).toBe('checkoutWorkflow');
    expect(options).toMatchObject({
      taskQueue: 'checkout-q',
      workflowId: 'checkout-chk_abc',
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: 'Checkout chk_abc · 2 items · USD 39.98',
      priority: { fairnessKey: input.merchantId, priorityKey: 3 },
    });
    const attributes = options.typedSearchAttributes as { key: { name: string }; value: unknown }[];
    expect(attributes.map((a) => [a.key.name, a.value])).toEqual([
      ['CheckoutStatus', 'pending'],
      ['CustomerId', 'cus_1'],
      ['CheckoutTotal', 3998],
    ]);
    const text = JSON.stringify({ summary: options.staticSummary, details: options.staticDetails });
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('tok_visa');
  });

  it('treats an already finished workflow as started for an idempotent start, and as an error otherwise', async () => {
    const { client } = stubClient(async () => {
      throw new WorkflowExecutionAlreadyStartedError('Workflow execution already started', 'checkout-chk_abc', 'checkoutWorkflow');
    });
    const port = createTemporalCheckouts({ client, taskQueue: 'q', db: {} as Database });
    await expect(port.start(input, { idempotent: true })).resolves.toBeUndefined();
    await expect(port.start(input, { idempotent: false })).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  });

  it('reports an unreachable server as CheckoutsUnavailableError', async () => {
    const grpcError = Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14, details: 'connection refused', metadata: {} });
    const { client } = stubClient(async () => {
      throw grpcError;
    });
    const port = createTemporalCheckouts({ client, taskQueue: 'q', db: {} as Database, settleStartMs: 300 });
    await expect(port.start(input, { idempotent: false })).rejects.toBeInstanceOf(CheckoutsUnavailableError);
  });

  it.each([
    ['starts it', async () => ({})],
    ['finds it already ended', async () => Promise.reject(new WorkflowExecutionAlreadyStartedError('already started', 'checkout-chk_abc', 'checkoutWorkflow'))],
  ])('settles a start whose answer was lost (DEADLINE_EXCEEDED) by starting the same id again, which %s', async (_what, again) => {
    const lost = Object.assign(new Error('4 DEADLINE_EXCEEDED: deadline exceeded'), { code: 4, details: 'deadline exceeded', metadata: {} });
    let call = 0;
    const { client, calls } = stubClient(async () => (call++ === 0 ? Promise.reject(lost) : again()));
    await expect(createTemporalCheckouts({ client, taskQueue: 'q', db: {} as Database }).start(input, { idempotent: false })).resolves.toBeUndefined();
    expect(calls.map((c) => c.options.workflowId)).toEqual(['checkout-chk_abc', 'checkout-chk_abc']);
  });

  it('does not ask again after a refusal that is not about the transport', async () => {
    const refused = Object.assign(new Error('3 INVALID_ARGUMENT: bad search attribute'), { code: 3, details: 'bad search attribute', metadata: {} });
    const { client, calls } = stubClient(async () => Promise.reject(refused));
    await expect(createTemporalCheckouts({ client, taskQueue: 'q', db: {} as Database }).start(input, { idempotent: false })).rejects.toBe(refused);
    expect(calls).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('summarises a checkout for the Web UI in the currency’s own minor units', () => {
    expect(checkoutSummary({ ...input, items: [{ ...input.items[0]!, quantity: 1 }], amount: { total: 1999, currency: 'USD' } })).toBe('Checkout chk_abc · 1 item · USD 19.99');
    expect(checkoutSummary({ ...input, amount: { total: 500, currency: 'JPY' } })).toBe('Checkout chk_abc · 2 items · JPY 500');
  });

  it('leaves errors that are not transient as they are', () => {
    const error = new Error('bad input');
    expect(classifyTemporalError(error)).toBe(error);
  });
});

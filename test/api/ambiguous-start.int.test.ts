/**
 * A start whose answer never comes back: Temporal started the checkout, but the call ran out of time. The
 * API settles that itself, by starting the same workflow id again, instead of answering 503 and inviting a
 * client without an Idempotency-Key to start a second checkout. A proxy between the API's client and
 * Temporal holds the answers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { checkoutWorkflowId } from '../../src/contracts/workflow.ts';
import { dataConverterOf } from '../../src/platform/codec/payload-keys.ts';
import { CheckoutStartUnsettledError, createTemporalCheckouts } from '../../src/checkouts/temporal-checkouts.ts';
import { connectTemporalClient } from '../../src/platform/temporal/connection.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait-for.ts';
import { newCustomer } from '../workflows/support/world.ts';

let stack: CheckoutStack;
let link: TcpProxy;
let client: Client;

beforeAll(async () => {
  stack = await startCheckoutStack();
  link = await startTcpProxy(stack.infra.temporalAddress);
  client = await connectTemporalClient(link.address, stack.config.temporal.namespace, dataConverterOf(stack.config));
});
afterEach(async () => {
  link.release('toClient');
  await assertWorldInvariants(stack);
});
afterAll(async () => {
  await client?.connection.close();
  await link?.close();
  await stack?.stop();
});

const port = (settleStartMs: number) => createTemporalCheckouts({ client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db, rpcTimeoutMs: 1_000, settleStartMs });

/** Resolves once the checkout's workflow exists on the server (seen past the proxy). */
const startedOnServer = (checkoutId: string) =>
  waitFor(() => stack.client.workflow.getHandle(checkoutWorkflowId(checkoutId)).describe(), { what: 'the workflow on the server' });

describe('a start whose answer is lost', () => {
  it('is settled by the API: the same checkout is found and the start succeeds, with one saga', async () => {
    const input = stack.input({ token: 'tok_visa', customer: newCustomer() });
    link.hold('toClient');
    const started = port(10_000).start(input, { idempotent: false });
    await startedOnServer(input.checkoutId);
    // Past the call's deadline: its answer is lost for good. Then Temporal can be asked again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    link.release('toClient');
    await expect(started).resolves.toBeUndefined();

    const result = (await stack.client.workflow.getHandle(checkoutWorkflowId(input.checkoutId)).result()) as CheckoutView;
    expect(result.status).toBe('completed');
    const runs = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${checkoutWorkflowId(input.checkoutId)}'` })) runs.push(run.runId);
    expect(runs).toHaveLength(1);
  });

  it('that cannot be settled in time names the checkout, which may be running, so the client can look it up', async () => {
    const input = stack.input({ token: 'tok_visa', customer: newCustomer() });
    link.hold('toClient');
    const error = await port(1_500).start(input, { idempotent: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckoutStartUnsettledError);
    expect((error as CheckoutStartUnsettledError).checkoutId).toBe(input.checkoutId);
    link.release('toClient');
    // It was running all along.
    const result = (await stack.client.workflow.getHandle(checkoutWorkflowId(input.checkoutId)).result()) as CheckoutView;
    expect(result.status).toBe('completed');
  });
});

/**
 * A step that must happen, during an outage longer than a blip: the outcome cannot be published while the
 * stream is gone. Its announcement is a regular activity that the server retries, so the checkout's history
 * does not grow while it waits; it completes once the stream is back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CheckoutView } from '../../src/contracts/checkout.ts';
import { ensureCheckoutStream } from '../../src/platform/nats/provision.ts';
import type { CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { waitFor } from '../support/wait-for.ts';
import { isCapture, type GatewayProxy } from './support/gateway-proxy.ts';
import { startProxiedStack, type ProxiedStack } from './support/proxied-stack.ts';
import { eventTypesOf, newCustomer } from './support/world.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

let world: ProxiedStack;
let stack: CheckoutStack;
let proxy: GatewayProxy;
beforeAll(async () => {
  ({ stack, proxy } = world = await startProxiedStack());
});
afterAll(async () => {
  await world?.stop();
});

it('publishes the outcome once the stream is back, after handing the retries to the server', { timeout: 120_000 }, async () => {
  const capture = proxy.holdRequests(isCapture);
  const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
  await capture.arrived;
  const jsm = await stack.nc.jetstreamManager();
  await jsm.streams.delete(stack.names.stream);
  capture.release();

  const events = async () => (await handle.fetchHistory()).events ?? [];
  await waitFor(
    async () => ((await events()).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'announceOutcome') ? true : undefined),
    { what: 'the announcement to be scheduled', timeoutMs: 60_000 },
  );
  const whileWaiting = (await events()).length;
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect((await events()).length).toBe(whileWaiting); // the server's retries write nothing

  await ensureCheckoutStream(stack.nc, stack.names, { consumers: SERVICE_CONSUMERS });
  const result = (await handle.result()) as CheckoutView;
  expect(result).toMatchObject({ status: 'completed' });
  expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.completed']);
  // The server's retries took no workflow tasks: the saga's two (its batch, and its end) and no more.
  const tasks = (await events()).filter((e) => e.workflowTaskCompletedEventAttributes).length;
  expect(tasks).toBe(2);
  await assertWorldInvariants(stack, [checkoutId]);
});

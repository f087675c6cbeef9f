/**
 * A step that must happen, during an outage longer than a blip: the outcome cannot be published while the
 * stream is gone. It retries as a local activity for some twenty seconds, then as a regular activity that the
 * server retries, so the checkout's history stops growing while it waits; it completes once the stream is back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CheckoutView } from '../../src/contracts/checkout.ts';
import { ensureCheckoutStream } from '../../src/nats/provision.ts';
import type { CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { waitFor } from '../support/wait-for.ts';
import { isCapture, type GatewayProxy } from './support/gateway-proxy.ts';
import { startProxiedStack, type ProxiedStack } from './support/proxied-stack.ts';
import { eventTypesOf, newCustomer } from './support/world.ts';

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

  // After some twenty seconds of local retries the publish becomes a regular activity.
  const events = async () => (await handle.fetchHistory()).events ?? [];
  await waitFor(
    async () => ((await events()).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'publishOutcome') ? true : undefined),
    { what: 'the publish to become a regular activity', timeoutMs: 60_000 },
  );
  const whileWaiting = (await events()).length;
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect((await events()).length).toBe(whileWaiting); // the server's retries write nothing

  await ensureCheckoutStream(stack.nc, stack.names);
  const result = (await handle.result()) as CheckoutView;
  expect(result).toMatchObject({ status: 'completed' });
  expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.completed']);
  // Twenty seconds of a local activity's retries took a handful of workflow-task heartbeats, not hundreds.
  const tasks = (await events()).filter((e) => e.workflowTaskCompletedEventAttributes).length;
  expect(tasks).toBeLessThan(15);
  await assertWorldInvariants(stack, [checkoutId]);
});

/**
 * The non-durable floor: the saga's happy path as plain awaited calls (floor-steps.ts), with no Temporal in
 * between, no retries and no compensation. What the saga costs beyond this is the price of durability.
 */
import type { CheckoutView, CheckoutWorkflowInput } from '../src/contracts/checkout.ts';
import { createFloorSteps, type FloorDeps } from './floor-steps.ts';

export function createDirectFloor(deps: FloorDeps) {
  const steps = createFloorSteps(deps);
  return async function checkout(input: CheckoutWorkflowInput): Promise<CheckoutView> {
    await steps.reserve(input);
    const score = await steps.score(input);
    const authorizationId = await steps.authorize(input);
    const orderId = await steps.createOrder(input);
    const captureId = await steps.capture(input, authorizationId);
    return steps.finish(input, { score, authorizationId, orderId, captureId });
  };
}

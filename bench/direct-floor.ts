/**
 * The non-durable floor: the saga's happy path as plain awaited calls (floor-steps.ts), with no Temporal in
 * between, no retries and no compensation. What the saga costs beyond this is the price of durability.
 */
import type { CheckoutView } from '../src/contracts/checkout.ts';
import type { CheckoutWorkflowInput } from '../src/contracts/workflow.ts';
import { createFloorSteps, type FloorDeps } from './floor-steps.ts';
import { walkHappyPath } from './happy-path.ts';

export function createDirectFloor(deps: FloorDeps) {
  const steps = createFloorSteps(deps);
  return (input: CheckoutWorkflowInput): Promise<CheckoutView> => walkHappyPath(steps, input);
}

/**
 * The bare platform floor: the cheapest Temporal implementation of the checkout saga — its six happy-path
 * steps (floor-steps.ts) as local activities in one workflow task, started eagerly, with no codec, no
 * interceptors, no patches, no search attributes and no summaries. The bare floor process bundles this file
 * from source; like workflows/, it may import only @temporalio/workflow and types.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { CheckoutWorkflowInput } from '../src/contracts/checkout.ts';
import type { FloorFacts } from './floor-steps.ts';

/** The steps as activities: each takes the workflow's input (and what it needs of earlier steps). */
export interface BareFloorActivities {
  reserve(input: CheckoutWorkflowInput): Promise<void>;
  score(input: CheckoutWorkflowInput): Promise<number>;
  authorize(input: CheckoutWorkflowInput): Promise<string>;
  createOrder(input: CheckoutWorkflowInput): Promise<string>;
  capture(input: CheckoutWorkflowInput, authorizationId: string): Promise<string>;
  finish(input: CheckoutWorkflowInput, facts: FloorFacts): Promise<{ id: string; status: string }>;
}

const steps = proxyLocalActivities<BareFloorActivities>({ startToCloseTimeout: '10s' });

export async function bareFloorWorkflow(input: CheckoutWorkflowInput): Promise<{ id: string; status: string }> {
  await steps.reserve(input);
  const score = await steps.score(input);
  const authorizationId = await steps.authorize(input);
  const orderId = await steps.createOrder(input);
  const captureId = await steps.capture(input, authorizationId);
  return steps.finish(input, { score, authorizationId, orderId, captureId });
}

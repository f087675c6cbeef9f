/**
 * The saga's happy path as six steps, walked in order: by the direct floor with plain calls, and by the bare
 * floor's workflow with local activities. Types only beside it, so the workflow bundle can import it.
 */
import type { CheckoutWorkflowInput } from '../src/contracts/workflow.ts';

/** What the steps learned, for the last one to build the checkout from. */
export interface FloorFacts {
  score: number;
  authorizationId: string;
  orderId: string;
  captureId: string;
}

/** The six steps; each takes the checkout's input (and what it needs of earlier steps). */
export interface HappyPathSteps<Done> {
  reserve(input: CheckoutWorkflowInput): Promise<void>;
  score(input: CheckoutWorkflowInput): Promise<number>;
  authorize(input: CheckoutWorkflowInput): Promise<string>;
  createOrder(input: CheckoutWorkflowInput): Promise<string>;
  capture(input: CheckoutWorkflowInput, authorizationId: string): Promise<string>;
  finish(input: CheckoutWorkflowInput, facts: FloorFacts): Promise<Done>;
}

export async function walkHappyPath<Done>(steps: HappyPathSteps<Done>, input: CheckoutWorkflowInput): Promise<Done> {
  await steps.reserve(input);
  const score = await steps.score(input);
  const authorizationId = await steps.authorize(input);
  const orderId = await steps.createOrder(input);
  const captureId = await steps.capture(input, authorizationId);
  return steps.finish(input, { score, authorizationId, orderId, captureId });
}

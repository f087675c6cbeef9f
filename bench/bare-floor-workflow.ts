/**
 * The bare platform floor: the cheapest Temporal implementation of the checkout saga — its six happy-path
 * steps (floor-steps.ts) as local activities in one workflow task, started eagerly, with no codec, no
 * interceptors, no patches, no search attributes and no summaries. The bare floor process bundles this file
 * from source; like workflows/, it may import only @temporalio/workflow and modules without I/O.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { CheckoutWorkflowInput } from '../src/contracts/workflow.ts';
import { walkHappyPath, type HappyPathSteps } from './happy-path.ts';

/** The steps as activities; the last answers only what the caller needs. */
export type BareFloorActivities = HappyPathSteps<{ id: string; status: string }>;

const steps = proxyLocalActivities<BareFloorActivities>({ startToCloseTimeout: '10s' });

export async function bareFloorWorkflow(input: CheckoutWorkflowInput): Promise<{ id: string; status: string }> {
  return walkHappyPath(steps, input);
}

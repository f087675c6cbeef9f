/**
 * The platform floor: a workflow with the checkout saga's shape — the same number of workflow tasks, local
 * activities and regular activities, and the final CheckoutStatus upsert — whose activities do nothing, so
 * what it costs is what Temporal itself charges for that shape. The bench stack's floor worker bundles this
 * file from source; like workflows/, it may import only @temporalio/workflow, src/contracts/* and types.
 */
import { proxyActivities, proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes, type CheckoutWorkflowInput } from '../src/contracts/workflow.ts';

export type FloorStep = 'local' | 'activity' | 'upsertStatus';

/**
 * The saga's shape, step by step. Local activities run inside the current workflow task; a regular activity
 * ends the task that scheduled it, and its completion starts the next one. Change this when the saga's
 * shape changes, so the floor keeps measuring the same amount of Temporal work.
 */
export const FLOOR_SHAPE: readonly FloorStep[] = [
  // workflow task 1: reserve, score, authorize, order, capture, paid order and committed stock; the
  // outcome's status, then its announcement (record and publish) as a regular activity once the decision is
  // in the history
  'local',
  'local',
  'local',
  'local',
  'local',
  'local',
  'upsertStatus',
  'activity',
  // workflow task 2: the workflow completes
];

export interface FloorActivities {
  floorNoop(): Promise<void>;
}

const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10s' });
const regular = proxyActivities<FloorActivities>({ startToCloseTimeout: '10s' });

/** Takes the saga's input (so start payloads match) and returns once the shape is walked. */
export async function platformFloorWorkflow(input: CheckoutWorkflowInput): Promise<{ id: string; status: 'completed' }> {
  for (const step of FLOOR_SHAPE) {
    if (step === 'local') await local.floorNoop();
    else if (step === 'activity') await regular.floorNoop();
    else upsertSearchAttributes([{ key: searchAttributes.status, value: 'completed' }]);
  }
  return { id: input.checkoutId, status: 'completed' };
}

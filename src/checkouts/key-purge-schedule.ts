/**
 * The hourly purge of expired Idempotency-Keys, as a Temporal Schedule: created at every API start, once
 * (a second start finds it and leaves it as it is, paused or not), with overlapping runs skipped.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const KEY_PURGE_SCHEDULE_ID = 'idempotency-key-purge';
export const KEY_PURGE_WORKFLOW_TYPE = 'purgeIdempotencyKeysWorkflow';

/** Creates the schedule unless it exists; returns whether this call created it. */
export async function ensureKeyPurgeSchedule(client: Client, taskQueue: string): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: KEY_PURGE_SCHEDULE_ID,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: KEY_PURGE_WORKFLOW_TYPE, workflowId: KEY_PURGE_SCHEDULE_ID, taskQueue },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    });
    return true;
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
}

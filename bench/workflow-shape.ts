/**
 * The shape of one finished workflow, counted from its history: workflow tasks, local activities (markers),
 * regular activities and search-attribute upserts, with `patched()` markers (and their TemporalChangeVersion
 * upserts) counted apart, since they belong to a version transition rather than to the saga. The benchmark counts one saga and one platform-floor
 * workflow of the same run, so a saga whose shape changed (and a FLOOR_SHAPE that no longer matches it)
 * shows up in the report instead of silently skewing the platform ratios.
 */
import type { Client } from '@temporalio/client';
import type { WorkflowShape } from './protocol.ts';

/** The marker names the Temporal core SDK records for a local activity's result and for a `patched()` call. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
const PATCH_MARKER = 'core_patch';
/** The search attribute a `patched()` call upserts; a transitional cost of the patch, not part of the saga's shape. */
const CHANGE_VERSION = 'TemporalChangeVersion';

export async function workflowShape(client: Client, workflowId: string): Promise<WorkflowShape> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const count = (predicate: (e: (typeof events)[number]) => boolean) => events.filter(predicate).length;
  return {
    workflowId,
    historyEvents: events.length,
    workflowTasks: count((e) => Boolean(e.workflowTaskCompletedEventAttributes)),
    localActivities: count((e) => e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER),
    activities: count((e) => Boolean(e.activityTaskScheduledEventAttributes)),
    upserts: count((e) => {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
      return Boolean(fields) && Object.keys(fields ?? {}).some((key) => key !== CHANGE_VERSION);
    }),
    patches: count((e) => e.markerRecordedEventAttributes?.markerName === PATCH_MARKER),
  };
}

/** Helpers for killing a worker mid-task: a short task timeout, and knowing when the server gave up on it. */
import type { WorkflowHandle } from '@temporalio/client';
import { cancelCheckoutUpdate, type CommandOutcome } from '../../../src/contracts/workflow.ts';
import { waitFor } from '../../support/wait-for.ts';

/** The workflow task timeout of checkouts whose worker a test kills: the dead worker's task is retried soon. */
export const CRASH_TASK_TIMEOUT = '2s';

/** Waits until the server gave up on a dead worker's workflow task, so the next worker gets it again. */
export const taskTimedOut = (handle: WorkflowHandle) =>
  waitFor(async () => (await handle.fetchHistory()).events?.some((e) => e.workflowTaskTimedOutEventAttributes), { what: 'the workflow task to time out', timeoutMs: 30_000 });

/** A moment for the server to take in a command before the next worker polls. */
export const admitted = () => new Promise((resolve) => setTimeout(resolve, 500));

/**
 * After a worker died mid-task: once the server gave up on its task, a cancel — taken in by the server
 * before the next worker polls, so it reaches the retried task — and then that next worker. The cancel's
 * answer comes when the saga gives it.
 */
export async function cancelBeforeTheRetry<W>(handle: WorkflowHandle, startNextWorker: () => Promise<W>): Promise<{ answer: Promise<CommandOutcome>; next: W }> {
  await taskTimedOut(handle);
  const answer = handle.executeUpdate(cancelCheckoutUpdate, { args: [{ reason: 'changed my mind' }] });
  answer.catch(() => undefined); // read by the caller; not an unhandled rejection meanwhile
  await admitted();
  return { answer, next: await startNextWorker() };
}

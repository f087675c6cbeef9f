/**
 * Housekeeping run by Temporal Schedules rather than by timers in every API process: once per deployment,
 * visible in the Web UI, pausable and triggerable by operators (`temporal schedule trigger`).
 */
import { activities } from './activities-proxy.ts';
import * as policy from './activity-policies.ts';

/** Deletes the Idempotency-Keys past their window; the hourly schedule `idempotency-key-purge` runs it. */
export async function purgeIdempotencyKeysWorkflow(): Promise<{ purged: number }> {
  return { purged: await activities(policy.databaseStep, 'Purge expired Idempotency-Keys').purgeExpiredIdempotencyKeys() };
}

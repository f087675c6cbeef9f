/** The activity stubs of the saga: one policy (activity-policies.ts) and one Web UI summary per call site. */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { CheckoutActivities } from '../activities/index.ts';

export const activities = (options: ActivityOptions, summary: string) => proxyActivities<CheckoutActivities>({ ...options, summary });

export type CheckoutActivityStubs = ReturnType<typeof activities>;

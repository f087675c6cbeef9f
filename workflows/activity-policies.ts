/**
 * Timeouts and retry policies of the saga's non-payment activities, with the reason for each (the payment
 * steps' are in payments.ts, beside the decisions they serve). Temporal retries on the server,
 * so a worker that dies mid-call is replaced and the attempt resumes elsewhere; the gateways' idempotency
 * keys make those repeats safe.
 */
import type { ActivityOptions } from '@temporalio/workflow';
import { PRIORITY_LEVEL } from '../src/contracts/task-priority.ts';

/** Ahead of new checkouts in the task queue: it undoes or settles money already moved (task-priority.ts). */
const settlesMoney = { priority: { priorityKey: PRIORITY_LEVEL.settleMoney } } as const;

/** Database steps: fast, and a failure is almost always a transient connection problem. */
export const databaseStep: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 10, nonRetryableErrorTypes: ['out_of_stock'] },
};

/**
 * Fraud scoring: a short deadline and a few attempts, because a checkout should not wait long for a score.
 * When the service stays down the saga holds the checkout for review rather than approving blind.
 */
export const fraudScoring: ActivityOptions = {
  startToCloseTimeout: '5s',
  retry: { initialInterval: '300ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 3 },
};

/**
 * Compensations (release stock, cancel the order, void, refund): each call retries with backoff for a few
 * minutes; the compensation rounds then call again (and show the pending step and its last error in the
 * checkout's status), so they succeed eventually without a hot loop.
 */
export const undoStep: ActivityOptions = {
  ...settlesMoney,
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8 },
};

/**
 * The steps after capture, and recording and publishing the outcome, as local activities: eight attempts
 * (about 20 s of pauses), then they go on as regular activities (see `mustFinish` in activities-proxy.ts).
 */
export const mustFinishLocally: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 8 },
};

/** The steps after capture, and recording and publishing the outcome: they must happen, so retry without limit. */
export const mustFinish: ActivityOptions = {
  ...settlesMoney,
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1m' }, // no maximumAttempts: unlimited
};

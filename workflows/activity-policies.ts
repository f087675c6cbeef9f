/**
 * Timeouts and retry policies of every activity, with the reason for each. Temporal retries on the server,
 * so a worker that dies mid-call is replaced and the attempt resumes elsewhere; the gateways' idempotency
 * keys make those repeats safe.
 */
import type { ActivityOptions } from '@temporalio/workflow';
import { AUTHORIZATION_REFUSALS } from '../src/domain/payment-failures.ts';

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
 * Authorization on one gateway: retried on outages and timeouts, never on refusals. After these attempts
 * the saga fails over to the other gateway, so the total stays short enough for a waiting shopper.
 */
export const authorization: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: {
    initialInterval: '500ms',
    backoffCoefficient: 2,
    maximumInterval: '4s',
    maximumAttempts: 4,
    nonRetryableErrorTypes: [...AUTHORIZATION_REFUSALS],
  },
};

/**
 * Asking a gateway again after its answers were lost: it may have authorized, so the saga will not fail over.
 * The same idempotency key returns the first result; keep asking for a few minutes before giving up.
 */
export const authorizationRecovery: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [...AUTHORIZATION_REFUSALS],
  },
};

/** Capture: money is already held, so keep trying through outages for a while; a refusal is final. */
export const capture: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 12, nonRetryableErrorTypes: ['capture_failed'] },
};

/**
 * Compensations: each call retries with backoff for a few minutes; the compensation stack then calls again
 * (and shows the pending step and its last error in the checkout's status), so they succeed eventually
 * without a hot loop.
 */
export const undoStep: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8 },
};

/** The steps after capture, and recording and publishing the outcome: they must happen, so retry without limit. */
export const mustFinish: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1m' }, // no maximumAttempts: unlimited
};

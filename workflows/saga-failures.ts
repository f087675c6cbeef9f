/** How the saga names what stopped it: early business outcomes, activity failures, and their statuses. */
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { isFailureCode, type CheckoutStatus, type FailureCode } from '../src/contracts/workflow.ts';
import { checkoutFailureCodeOf } from '../src/payments/failures.ts';

/** A business outcome that ends the saga early (declined, rejected, timed out). */
export class SagaStop extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

export const STATUS_OF_FAILURE: Record<FailureCode, CheckoutStatus> = {
  out_of_stock: 'declined',
  fraud_declined: 'declined',
  review_rejected: 'declined',
  review_timeout: 'declined',
  card_declined: 'declined',
  insufficient_funds: 'declined',
  gateway_unavailable: 'failed',
  capture_failed: 'failed',
  cancelled_by_client: 'cancelled',
  internal_error: 'failed',
};


/**
 * The ApplicationFailure an activity ended with: the cause of an ActivityFailure for a regular activity;
 * a local activity's failure reaches the workflow unwrapped.
 */
export function applicationFailureOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause;
  if (error instanceof ApplicationFailure) return error;
  return undefined;
}

/** The failure type an activity ended with, when it was an ApplicationFailure. */
export function applicationFailureType(error: unknown): string | undefined {
  return applicationFailureOf(error)?.type ?? undefined;
}

/** What went wrong in an activity, in the words of the failure that ended it. */
export function activityFailureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The failure code and message a stopped saga ends with. */
export function describeFailure(error: unknown, cancelRequested: boolean): { code: FailureCode; message: string } {
  if (error instanceof SagaStop) return { code: error.code, message: error.message };
  if (isCancellation(error)) {
    return { code: 'cancelled_by_client', message: cancelRequested ? 'cancelled by the client' : 'cancelled through Temporal' };
  }
  const type = applicationFailureType(error);
  const code = checkoutFailureCodeOf(type);
  const cause = activityFailureMessage(error);
  if (isFailureCode(code)) return { code, message: cause };
  return { code: 'internal_error', message: `a step could not complete: ${cause}` };
}

/**
 * A checkout as its merchant sees it. The saga's view is written for operators: a failure's message can name
 * a gateway's URL, a network error or a database code; a review carries the operator's id and note; a
 * compensation its last error and why a step was escalated. A merchant gets the same object with those
 * replaced: the failure code and a text made for people outside the service, the review's decision and
 * time, and which undo steps are pending or left to an operator — never their errors.
 */
import type { CheckoutView, FailureCode } from './checkout.ts';

/** What a merchant (and its customer) may be told for each failure code. */
export const MERCHANT_FAILURE_TEXTS: Record<FailureCode, string> = {
  out_of_stock: 'An item in the order is no longer in stock.',
  fraud_declined: 'The payment could not be verified.',
  review_rejected: 'The payment could not be verified.',
  review_timeout: 'The payment could not be verified in time.',
  card_declined: 'The card was declined by its issuer.',
  insufficient_funds: 'The card has insufficient funds for this order.',
  gateway_unavailable: 'The payment provider could not be reached.',
  capture_failed: 'The payment could not be completed.',
  cancelled_by_client: 'The checkout was cancelled at the client’s request.',
  internal_error: 'A problem in the checkout service stopped it.',
};

const ESCALATED_FOR_MERCHANTS = 'left to an operator';

export function merchantView(view: CheckoutView): CheckoutView {
  const { fraud, review, failure, compensation } = view;
  return {
    ...view,
    fraud: fraud && { score: fraud.score, decision: fraud.decision },
    review: review && { decision: review.decision, at: review.at },
    failure: failure && { code: failure.code, message: MERCHANT_FAILURE_TEXTS[failure.code] },
    compensation: compensation && {
      pending: compensation.pending,
      attempts: compensation.attempts,
      lastError: null,
      escalated: compensation.escalated.map(({ step }) => ({ step, reason: ESCALATED_FOR_MERCHANTS })),
    },
  };
}

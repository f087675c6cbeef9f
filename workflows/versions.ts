/**
 * The saga's versions, as patches: each keeps the command sequence that running checkouts began with. A
 * patch is asked only where the paths part, so the happy path of a new checkout records no marker for it.
 */
import { patched } from '@temporalio/workflow';

/**
 * Payment safety: authorization fails over only when every attempt provably did nothing, a capture whose
 * answers were lost is recovered, and compensations are classified (done, retry, escalate), each round
 * trying every pending one. Checkouts that reached a payment failure before this keep the old decisions.
 */
export const PAYMENT_SAFETY_PATCH = 'payment-safety';

export const paymentSafety = (): boolean => patched(PAYMENT_SAFETY_PATCH);

/** A checkout held for review gives its stock back while it waits, and reserves it again on approval. */
export const REVIEW_RELEASES_STOCK_PATCH = 'review-releases-stock';

/**
 * A cancel that arrives between the authorization's request and the capture is answered by the saga at its
 * next step boundary, by the task it came in (commands.ts); before, it was accepted on arrival.
 */
export const CANCEL_JUDGED_AT_BOUNDARIES_PATCH = 'cancel-judged-at-boundaries';

/**
 * An authorization failure that says "nothing was done" counts only when the activity tells it was its first
 * attempt; otherwise an earlier attempt may have authorized (payments.ts, `hidesAttempts`).
 */
export const AUTHORIZATION_ATTEMPT_TOLD_PATCH = 'authorization-attempt-told';

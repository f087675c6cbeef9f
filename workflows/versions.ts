/**
 * The saga's versions, as patches: each keeps the command sequence that running checkouts began with. A
 * patch is asked only where the paths part, so the happy path of a new checkout records no marker for it.
 */
import { patched } from '@temporalio/workflow';
import { sagaPath, type SagaPath } from './activities-proxy.ts';

/**
 * Checkouts started from this version on run their quick steps as local activities and upsert search
 * attributes only when the status changes; those started before keep the command sequence they began with.
 */
export const LOCAL_STEPS_PATCH = 'local-steps';

/**
 * Checkouts started from this version on announce their outcome (record and publish) with a regular
 * activity after the decision is in the history; those started before did it with local steps in the
 * deciding task (outcome.ts). It implies local steps.
 */
export const DURABLE_OUTCOME_PATCH = 'durable-outcome';

/**
 * Checkouts started from this version on authorize with a local step whose attempt is recorded in the
 * database before the gateway is asked, fail over only after a timer, and register every undo before their
 * first step (payments.ts, workflows/README.md); those started before authorize with a regular activity. It
 * implies the durable outcome, so a new checkout records this one marker only.
 */
export const LOCAL_AUTHORIZATION_PATCH = 'local-authorization';

/** The path of this checkout, chosen at its start from the markers its history holds (one for a new checkout). */
export function sagaPathOfThisCheckout(): SagaPath {
  const localAuthorization = patched(LOCAL_AUTHORIZATION_PATCH);
  const durableOutcome = localAuthorization || patched(DURABLE_OUTCOME_PATCH);
  return sagaPath({ local: durableOutcome || patched(LOCAL_STEPS_PATCH), durableOutcome, localAuthorization });
}

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

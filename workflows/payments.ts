/**
 * Every payment decision of the saga, top to bottom: what a failed gateway call says about its effect, the
 * timeouts and retry policies of the payment steps, authorization with failover and recovery, capture
 * with recovery, and the payment compensations (void, refund) with what each refusal means.
 *
 * The rule behind all of them: a call whose effect is unknown (its answer lost, cut off, unreadable, or
 * its attempt timed out in Temporal) may have moved money. Only the same gateway, asked again with the same
 * idempotency key, can say what it did — so the saga never fails over from it, never gives up on it
 * silently, and never treats it as "nothing happened".
 */
import { isCancellation, log, patched, sleep, type ActivityOptions } from '@temporalio/workflow';
import { GATEWAY_NAMES, type GatewayName } from '../src/contracts/workflow.ts';
import { formatMoneyCode } from '../src/platform/money.ts';
import {
  AUTHORIZATION_REFUSALS,
  CAPTURE_REFUSED,
  GATEWAY_CALL_DEADLINE_MS,
  GATEWAY_OUTCOME_UNKNOWN,
  failedCallOf,
  isAuthorizationRefusal,
  undoRefusal,
  type FailedCall,
} from '../src/payments/failures.ts';
import { activities, type CheckoutActivityStubs, type QuickSteps, type SagaPath } from './activities-proxy.ts';
import type { CheckoutState } from './checkout-state.ts';
import { CompensationEscalation } from './compensations.ts';
import { activityFailureMessage, applicationFailureOf, applicationFailureType, SagaStop } from './saga-failures.ts';
import { AUTHORIZATION_ATTEMPT_TOLD_PATCH, paymentSafety } from './versions.ts';

// ── What a failed gateway call says about its effect ─────────────────────────────────────────────────

/** What a failed gateway call says about its effect: its failure type, read by the one rule in src/payments/failures.ts. */
export const failedCall = (error: unknown): FailedCall => failedCallOf(applicationFailureType(error));

// ── Timeouts and retry policies ──────────────────────────────────────────────────────────────────────

const startToCloseTimeout = GATEWAY_CALL_DEADLINE_MS;

/**
 * One authorization attempt. The saga paces the attempts itself (not Temporal's retry), because it must see
 * every attempt's failure: a single one whose effect is unknown rules out failing over.
 */
const authorizationAttempt: ActivityOptions = { startToCloseTimeout, retry: { maximumAttempts: 1 } };
const AUTHORIZATION_ATTEMPTS = 4;
const attemptPause = (attempt: number) => Math.min(4_000, 500 * 2 ** (attempt - 1));
/** A timer before failing over on local authorization: its completion records the primary's attempts first. */
const FAILOVER_PAUSE = '100ms';

/** Asking a gateway again after an unknown outcome: the same key returns the first result; keep asking for minutes. */
const authorizationRecovery: ActivityOptions = {
  startToCloseTimeout,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10, nonRetryableErrorTypes: [...AUTHORIZATION_REFUSALS] },
};

/** Capture (a quick step): money is held, so a few fast attempts, then recovery; a refusal is final. */
const capture: ActivityOptions = {
  startToCloseTimeout,
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '4s', maximumAttempts: 4, nonRetryableErrorTypes: [CAPTURE_REFUSED] },
};

/**
 * Asking again for a capture whose answers were lost, for about a minute (five attempts, 15 s of pauses plus
 * their calls), before the saga stops and its compensation voids the authorization or refunds the capture.
 */
const captureRecovery: ActivityOptions = {
  startToCloseTimeout,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '8s', maximumAttempts: 5, nonRetryableErrorTypes: [CAPTURE_REFUSED] },
};


// ── Authorization ────────────────────────────────────────────────────────────────────────────────────

interface Authorized {
  authorizationId: string;
  /** When the hold lapses, if the gateway said (histories from before it did carry no `expiresAt`). */
  expiresAt: string | null;
}
const authorizedOf = (result: { authorizationId: string; expiresAt?: string | null }): Authorized => ({
  authorizationId: result.authorizationId,
  expiresAt: result.expiresAt ?? null,
});

/** The authorization request of a checkout on one gateway; the same request (and key) every time. */
const authorizationRequest = ({ input }: CheckoutState, gateway: GatewayName) => ({
  gateway,
  checkoutId: input.checkoutId,
  amount: input.amount.total,
  currency: input.amount.currency,
  token: input.paymentToken,
});

/** Asks a gateway to authorize: one attempt, as a local step with its attempt recorded first on local authorization. */
const askToAuthorize = (state: CheckoutState, path: SagaPath, gateway: GatewayName, attempt: number) => {
  const summary = `Authorize on ${gateway} gateway`;
  return path.localAuthorization
    ? path.quick(authorizationAttempt, summary).authorizePayment({ ...authorizationRequest(state, gateway), attempt })
    : activities(authorizationAttempt, summary).authorizePayment(authorizationRequest(state, gateway));
};

/**
 * Authorizes on the primary gateway, or on the secondary when every attempt on the primary said it did
 * nothing. After an attempt whose effect is unknown the same gateway is asked again with the same key, for
 * longer, until it answers (`onUnanswered` lets the compensation do the same if it never does).
 *
 * On local authorization an attempt runs inside the workflow task, so a worker that dies before the task
 * completes takes the attempt's answer with it — while the gateway may have authorized. Two rules keep that
 * from ever being forgotten: the activity records the attempt before it asks, and a run that finds its
 * attempt recorded already counts any answer short of a card refusal as unknown (src/payments/activities.ts), so
 * the saga keeps asking that gateway with the same key instead of failing over; and the saga fails over only
 * after a timer, so the decision to leave a gateway is in the history before the next one is asked. Only
 * the last gateway asked can then hold an authorization the saga has not heard of — which is the one the
 * void compensation asks the records for.
 */
export async function authorizeWithFailover(
  state: CheckoutState,
  path: SagaPath,
  onUnanswered: (gateway: GatewayName) => void,
): Promise<{ gateway: GatewayName } & Authorized> {
  let lastError = 'no gateway answered';
  for (const [index, gateway] of GATEWAY_NAMES.entries()) {
    if (index > 0 && path.localAuthorization) await sleep(FAILOVER_PAUSE, { summary: `record the failover before asking the ${gateway} gateway` });
    for (let attempt = 1; ; attempt += 1) {
      try {
        const authorized = await askToAuthorize(state, path, gateway, attempt);
        return { gateway, ...authorizedOf(authorized) };
      } catch (error) {
        if (isCancellation(error)) throw error;
        const failed = authorizationFailure(error);
        if (failed === 'refused') throw error; // the bank said no: another gateway won't change that
        lastError = activityFailureMessage(error);
        // Asking this gateway again won't change a refusal of its own; the next gateway may take the payment.
        if (failed === 'gateway_refused') break;
        const safe = paymentSafety();
        // Before payment safety, only a failure typed "outcome unknown" counted, and Temporal paced the attempts.
        if (safe ? failed === 'unknown' : applicationFailureType(error) === GATEWAY_OUTCOME_UNKNOWN) {
          log.warn('gateway outcome unknown; asking the same gateway again instead of failing over', { gateway, error: lastError });
          onUnanswered(gateway);
          return { gateway, ...(await recoverAuthorizationNow(state, gateway, safe)) };
        }
        if (!safe || attempt === AUTHORIZATION_ATTEMPTS) break;
        await sleep(attemptPause(attempt), { summary: `pause before authorization attempt ${attempt + 1} on ${gateway}` });
      }
    }
    log.warn('the gateway did not authorize and did nothing; failing over', { gateway, error: lastError });
  }
  throw new SagaStop('gateway_unavailable', `no payment gateway could authorize: ${lastError}`);
}

/**
 * Whether a failed authorization that says "nothing was done" may hide an earlier attempt that did something.
 * It speaks for its own attempt only: an activity the server retried — one scheduled with four server retries
 * before payment safety, still retrying when the new code took over — hides its earlier attempts' failures,
 * and one of them may have lost the answer of an authorization. The activity tells its attempt number
 * (`details: [{ attempt }]`); a failure past the first attempt, or from code that did not tell, counts as
 * unknown. Histories recorded before the attempt was told keep their decisions.
 */
function hidesAttempts(error: unknown): boolean {
  const attempt = (applicationFailureOf(error)?.details?.[0] as { attempt?: unknown } | undefined)?.attempt;
  return attempt !== 1 && paymentSafety() && patched(AUTHORIZATION_ATTEMPT_TOLD_PATCH);
}

/** What a failed authorization attempt says about its effect, counting the attempts it may hide. */
export function authorizationFailure(error: unknown): FailedCall {
  const failed = failedCall(error);
  return failed === 'not_done' && hidesAttempts(error) ? 'unknown' : failed;
}

async function recoverAuthorizationNow(state: CheckoutState, gateway: GatewayName, safe: boolean): Promise<Authorized> {
  try {
    return authorizedOf(await activities(authorizationRecovery, `Recover the authorization on ${gateway} gateway`).authorizePayment(authorizationRequest(state, gateway)));
  } catch (error) {
    if (!safe || isCancellation(error) || failedCall(error) === 'refused') throw error;
    throw new SagaStop('gateway_unavailable', `the ${gateway} gateway never confirmed the authorization: ${activityFailureMessage(error)}`);
  }
}

/**
 * Learns, for the compensation, an authorization whose answer never came: the same request with the same
 * key returns it (or makes it now, to be voided at once). A refusal means there is nothing to void.
 */
async function recoverAuthorization(state: CheckoutState, gateway: GatewayName, undo: CheckoutActivityStubs): Promise<void> {
  try {
    const { authorizationId, expiresAt } = authorizedOf(await undo.authorizePayment(authorizationRequest(state, gateway)));
    state.payment = { gateway, authorizationId, captureId: null, voidId: null, refundId: null, expiresAt };
  } catch (error) {
    if (isAuthorizationRefusal(applicationFailureType(error))) return;
    throw error;
  }
}

// ── Capture ──────────────────────────────────────────────────────────────────────────────────────────

const captureRequest = (state: CheckoutState) => {
  const payment = state.payment!;
  return { gateway: payment.gateway, checkoutId: state.input.checkoutId, authorizationId: payment.authorizationId, amount: state.input.amount.total };
};

/**
 * Captures the authorization. When the attempts end without a refusal the capture may have happened: the
 * same gateway is asked again with the same key, which returns the capture if it was made (or makes it).
 * If that never answers either, the saga stops with `capture_failed` and its compensation voids the
 * authorization — or, if the gateway says it was captured, learns the capture and refunds it.
 */
export async function captureWithRecovery(state: CheckoutState, quick: QuickSteps): Promise<string> {
  const { input } = state;
  const request = captureRequest(state);
  try {
    const { captureId } = await quick(capture, `Capture ${formatMoneyCode(input.amount.total, input.amount.currency)} on ${request.gateway}`).capturePayment(request);
    return captureId;
  } catch (error) {
    if (failedCall(error) === 'refused' || !paymentSafety()) throw error;
    log.warn('capture unanswered; asking the same gateway again with the same key', { gateway: request.gateway, error: activityFailureMessage(error) });
  }
  try {
    const { captureId } = await activities(captureRecovery, `Recover the capture on ${request.gateway} gateway`).capturePayment(request);
    return captureId;
  } catch (error) {
    if (failedCall(error) === 'refused') throw error;
    throw new SagaStop('capture_failed', `the ${request.gateway} gateway never confirmed the capture: ${activityFailureMessage(error)}`);
  }
}

// ── Compensations ────────────────────────────────────────────────────────────────────────────────────
// Void and refund run with the saga's `undoStep` policy, like every compensation: the rounds in
// compensations.ts call them again after its attempts.

const isCapturedRefusal = (error: unknown) => undoRefusal(applicationFailureType(error))?.meaning === 'captured';

/** Raises the compensation's verdict on a refused void or refund: done (returns), escalate, or retry (rethrows). */
function judgeUndoRefusal(error: unknown, what: string, gateway: GatewayName): 'done' | 'captured' {
  const refusal = undoRefusal(applicationFailureType(error));
  if (!refusal || refusal.meaning === 'retry' || !paymentSafety()) throw error;
  if (refusal.meaning === 'escalate') {
    throw new CompensationEscalation(`the ${gateway} gateway refused to ${what} (${refusal.code}): ${activityFailureMessage(error)}`);
  }
  return refusal.meaning;
}

/** Refunds a capture the saga knows of; a refund already made counts as done. */
export async function refundCapture(state: CheckoutState, undo: CheckoutActivityStubs): Promise<void> {
  const payment = state.payment;
  if (!payment?.captureId || payment.refundId) return;
  try {
    const { refundId } = await undo.refundPayment({ gateway: payment.gateway, checkoutId: state.input.checkoutId, captureId: payment.captureId, amount: state.input.amount.total });
    payment.refundId = refundId;
  } catch (error) {
    judgeUndoRefusal(error, 'refund the capture', payment.gateway);
  }
}

/**
 * Voids the authorization — after learning it, if its answer never came (`unanswered`). A void refused
 * because the authorization was captured (a capture whose answers were lost) learns that capture from the
 * gateway with the capture's key and refunds it.
 */
export async function voidAuthorization(state: CheckoutState, path: SagaPath, unanswered: GatewayName | null, undo: CheckoutActivityStubs): Promise<void> {
  if (!state.payment) {
    // On local authorization a dead worker's batch may have authorized although this run stopped before
    // asking: the records name the last gateway asked, the only one that can hold what the saga has not
    // heard of. A run that asked heard every answer, or knows which gateway left it unanswered.
    const unheard = path.localAuthorization && !state.authorizationRequested;
    const unknownTo = unanswered ?? (unheard ? (await undo.lastGatewayAskedToAuthorize({ checkoutId: state.input.checkoutId })).gateway : null);
    if (unknownTo) await recoverAuthorization(state, unknownTo, undo);
  }
  const payment = state.payment;
  if (!payment || payment.captureId || payment.voidId) return;
  try {
    const { voidId } = await undo.voidPayment({ gateway: payment.gateway, checkoutId: state.input.checkoutId, authorizationId: payment.authorizationId });
    payment.voidId = voidId;
  } catch (error) {
    // Past the end of its hold the authorization has lapsed: the money went back without a void.
    if (payment.expiresAt !== null && Date.now() >= Date.parse(payment.expiresAt) && !isCapturedRefusal(error) && paymentSafety()) {
      log.warn('void failed after the authorization hold lapsed; nothing is held any more', { gateway: payment.gateway, error: activityFailureMessage(error) });
      return;
    }
    if (judgeUndoRefusal(error, 'void the authorization', payment.gateway) === 'done') return;
    log.warn('void refused: the authorization was captured; learning the capture to refund it', { gateway: payment.gateway });
    try {
      payment.captureId = (await undo.capturePayment(captureRequest(state))).captureId;
    } catch (captureError) {
      if (failedCall(captureError) !== 'refused') throw captureError;
      throw new CompensationEscalation(`the ${payment.gateway} gateway says the authorization was captured but not with this checkout's key: ${activityFailureMessage(captureError)}`);
    }
    await refundCapture(state, undo);
  }
}

/**
 * How payment calls fail, shared by the activities that raise these failure types and the saga (and its
 * retry policies) that reacts to them: every gateway answer's meaning, in one place. The saga's decisions on
 * them live in `workflows/payments.ts`.
 */

/** How long one gateway call may take before Temporal times the attempt out; a client timeout must be shorter. */
export const GATEWAY_CALL_DEADLINE_MS = 10_000;

/** Refusals by the card's bank: final, so neither a retry nor another gateway can change them. */
export const AUTHORIZATION_REFUSALS = ['card_declined', 'insufficient_funds', 'invalid_token', 'expired_card', 'incorrect_cvc'] as const;

export const isAuthorizationRefusal = (type: string | undefined): boolean =>
  type !== undefined && (AUTHORIZATION_REFUSALS as readonly string[]).includes(type);

/**
 * Refusals that are the merchant's or the configuration's, not the card's: a rotated or wrong credential, an
 * account the gateway switched off, a request it cannot take. Another gateway may well accept the payment.
 */
export const MERCHANT_REFUSALS = ['unauthorized', 'forbidden', 'invalid_api_key', 'account_inactive', 'invalid_request', 'currency_not_supported'] as const;

/**
 * Whose refusal a gateway's code is: the card's (`card`, final for the checkout), the merchant's or the
 * configuration's (`merchant`), or a code this service does not know (`unknown`). Only `card` may ever tell a
 * shopper their card was declined.
 */
export type RefusalKind = 'card' | 'merchant' | 'unknown';

export function refusalKindOf(code: string): RefusalKind {
  if (isAuthorizationRefusal(code)) return 'card';
  return (MERCHANT_REFUSALS as readonly string[]).includes(code) ? 'merchant' : 'unknown';
}

/**
 * A gateway refused an authorization for a reason that is not the card's (a merchant, configuration or
 * unknown refusal): it did nothing, and operators must hear of it. The saga fails over to the next gateway.
 */
export const GATEWAY_REFUSED = 'gateway_refused';

/** The gateway refused to capture: final. */
export const CAPTURE_REFUSED = 'capture_failed';

/** The gateway said it did nothing (503, 429, connection refused): safe to fail over. */
export const GATEWAY_UNAVAILABLE = 'gateway_unavailable';

/**
 * The gateway's answer was lost or could not be read (timeout, reset, 5xx, a body that is not the
 * protocol's): it may have acted, so ask it again rather than another.
 */
export const GATEWAY_OUTCOME_UNKNOWN = 'gateway_outcome_unknown';

/**
 * The checkout failure code a payment failure type ends a saga with: every card refusal but insufficient
 * funds is a declined card, and a gateway that never gave an answer, or refused for its own reasons, is —
 * to the customer — unavailable.
 */
export function checkoutFailureCodeOf(type: string | undefined): string | undefined {
  if (isAuthorizationRefusal(type) && type !== 'insufficient_funds') return 'card_declined';
  if (type === GATEWAY_OUTCOME_UNKNOWN || type === GATEWAY_REFUSED) return GATEWAY_UNAVAILABLE;
  return type;
}

/** The failure type of a refused void or refund: `void_refused:<gateway code>`. */
export type UndoStep = 'void' | 'refund';
export const undoRefusalType = (step: UndoStep, code: string) => `${step}_refused:${code}`;

/**
 * What a gateway's refusal of a void or refund means for the compensation: `done` (what it was to undo is
 * undone already), `captured` (a void refused because the money was taken: refund it instead), `escalate`
 * (retrying cannot help; a person must look). A code not listed here is retried, within the compensation's
 * deadline, since it may be the gateway's way of saying "later".
 */
const UNDO_REFUSALS: Record<UndoStep, Record<string, 'done' | 'captured' | 'escalate'>> = {
  void: { authorization_voided: 'done', authorization_expired: 'done', already_captured: 'captured', not_found: 'escalate', invalid_request: 'escalate', idempotency_key_reused: 'escalate' },
  refund: { already_refunded: 'done', not_found: 'escalate', amount_too_large: 'escalate', invalid_request: 'escalate', idempotency_key_reused: 'escalate' },
};

export type UndoRefusal = { meaning: 'done' | 'captured' | 'escalate' | 'retry'; code: string };

/** The meaning of a failure type raised by a void or refund, or undefined when it is not a refusal. */
export function undoRefusal(type: string | undefined): UndoRefusal | undefined {
  const match = type?.match(/^(void|refund)_refused:(.+)$/);
  if (!match) return undefined;
  const [, step, code] = match as unknown as [string, UndoStep, string];
  return { meaning: UNDO_REFUSALS[step][code] ?? 'retry', code };
}

/**
 * What a failed gateway call says about its effect, from its failure type. `refused`: the card (or, for a
 * capture, the issuer) said no, and nothing was done — final; `gateway_refused`: the gateway said no for its
 * own reasons (configuration, account) and did nothing — try another gateway; `not_done`: it said it did
 * nothing, for now; `unknown`: anything else.
 */
export type FailedCall = 'refused' | 'gateway_refused' | 'not_done' | 'unknown';

export function failedCallOf(type: string | undefined): FailedCall {
  if (isAuthorizationRefusal(type) || type === CAPTURE_REFUSED) return 'refused';
  if (type === GATEWAY_REFUSED) return 'gateway_refused';
  if (type === GATEWAY_UNAVAILABLE) return 'not_done';
  return 'unknown'; // fail closed: timeouts, lost or unreadable answers, and whatever else may come
}

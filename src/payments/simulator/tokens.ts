/** What each test payment token makes a gateway simulator do, the way Stripe's test tokens do. */

/**
 * Answers a gateway loses after it acted: the effect is done and remembered under its idempotency key, but
 * the first `times` requests with that key get `as` instead of the answer — held past the client's timeout
 * (`hang`), a 2xx whose body is not the answer (`garbled`), a 4xx without the error shape (`bare_4xx`) or a
 * 500 (`server_error`). `thenUnavailable` more requests with the key are then answered 503, as if the
 * gateway had gone down right after acting.
 */
export interface LostAnswers {
  times: number;
  as: 'hang' | 'garbled' | 'bare_4xx' | 'server_error';
  thenUnavailable?: number;
}

export interface TokenRule {
  /** Authorization refused with this code; not worth retrying. */
  refusal?: { code: string; message: string };
  /** Authorization attempts per checkout answered 503 before one goes through. */
  unavailableAttempts?: number;
  /** What happens to the answers of the authorization after it is made. */
  authorizationAnswers?: LostAnswers;
  /** What happens to the answers of the capture after it is made. */
  captureAnswers?: LostAnswers;
  /** What happens to the answers of each refund of the capture after it is made. */
  refundAnswers?: LostAnswers;
  /** Every refund of the capture is answered 503: the gateway cannot refund (until the refund's deadline escalates it). */
  refundsUnavailable?: boolean;
  /** Authorization succeeds, capture is refused. */
  captureRefused?: boolean;
  /** Names of the gateway instances that answer 503 to every authorization with this token. */
  unavailableOn?: readonly string[];
  /**
   * Names of the gateway instances that refuse every authorization with this token as a gateway refuses a
   * wrong or rotated API key: 401 `unauthorized` — the merchant's problem, not the card's.
   */
  misconfiguredOn?: readonly string[];
  /** How long the authorization holds the money before it lapses; the gateway's default (7 days) unless set. */
  holdMs?: number;
}

const goodCard: TokenRule = {};

const rules = new Map<string, TokenRule>([
  ['tok_visa', goodCard],
  ['tok_mastercard', goodCard],
  ['tok_chargeDeclined', { refusal: { code: 'card_declined', message: 'The card was declined.' } }],
  ['tok_insufficientFunds', { refusal: { code: 'insufficient_funds', message: 'The card has insufficient funds.' } }],
  ['tok_flaky', { unavailableAttempts: 2 }],
  ['tok_timeoutAfterCharge', { authorizationAnswers: { times: 1, as: 'hang' } }],
  ['tok_lostThenUnavailable', { authorizationAnswers: { times: 1, as: 'hang', thenUnavailable: 3 } }],
  ['tok_garbledAnswer', { authorizationAnswers: { times: 2, as: 'garbled' } }],
  ['tok_captureAnswerLost', { captureAnswers: { times: 5, as: 'server_error' } }],
  ['tok_captureFails', { captureRefused: true }],
  ['tok_refundAnswerLost', { refundAnswers: { times: 2, as: 'server_error' } }],
  ['tok_refundsUnavailable', { refundsUnavailable: true }],
  ['tok_shortHold', { holdMs: 2_000 }],
  ['tok_primaryDown', { unavailableOn: ['primary'] }],
  ['tok_gatewayMisconfigured', { misconfiguredOn: ['primary'] }],
  // Risky to the fraud service only; the gateway sees good cards.
  ['tok_riskReview', goodCard],
  ['tok_riskHighest', goodCard],
]);

/** The rule for a test token; any other token is unknown to the gateway (undefined), as a real one's would be. */
export function tokenRule(token: string): TokenRule | undefined {
  return rules.get(token);
}

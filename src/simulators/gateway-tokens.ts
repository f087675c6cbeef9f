/** What each test payment token makes a gateway simulator do, the way Stripe's test tokens do. */

export interface TokenRule {
  /** Authorization refused with this code; not worth retrying. */
  refusal?: { code: string; message: string };
  /** Authorization attempts per checkout answered 503 before one goes through. */
  unavailableAttempts?: number;
  /** The first authorization of a checkout is performed, then its answer held back for the gateway's `hangMs`. */
  hangsAfterCharge?: boolean;
  /** Authorization succeeds, capture is refused. */
  captureRefused?: boolean;
  /** Names of the gateway instances that answer 503 to every authorization with this token. */
  unavailableOn?: readonly string[];
}

const goodCard: TokenRule = {};

const rules = new Map<string, TokenRule>([
  ['tok_visa', goodCard],
  ['tok_chargeDeclined', { refusal: { code: 'card_declined', message: 'The card was declined.' } }],
  ['tok_insufficientFunds', { refusal: { code: 'insufficient_funds', message: 'The card has insufficient funds.' } }],
  ['tok_flaky', { unavailableAttempts: 2 }],
  ['tok_timeoutAfterCharge', { hangsAfterCharge: true }],
  ['tok_captureFails', { captureRefused: true }],
  ['tok_primaryDown', { unavailableOn: ['primary'] }],
  // Risky to the fraud service only; the gateway sees good cards.
  ['tok_riskReview', goodCard],
  ['tok_riskHighest', goodCard],
]);

/** The rule for a token; any other `tok_…` is a good card, anything else is no token at all (undefined). */
export function tokenRule(token: string): TokenRule | undefined {
  return rules.get(token) ?? (token.startsWith('tok_') ? goodCard : undefined);
}

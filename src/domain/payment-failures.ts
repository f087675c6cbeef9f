/**
 * How payment calls fail, shared by the activities that raise these failure types and the saga (and its
 * retry policies) that reacts to them.
 */

/** Refusals by the card's bank: final, so neither a retry nor another gateway can change them. */
export const AUTHORIZATION_REFUSALS = ['card_declined', 'insufficient_funds', 'invalid_token'] as const;

export const isAuthorizationRefusal = (type: string | undefined): boolean =>
  type !== undefined && (AUTHORIZATION_REFUSALS as readonly string[]).includes(type);

/** The gateway said it did nothing (503, 429, connection refused): safe to fail over. */
export const GATEWAY_UNAVAILABLE = 'gateway_unavailable';

/** The gateway's answer was lost (timeout, reset): it may have acted, so ask it again rather than another. */
export const GATEWAY_OUTCOME_UNKNOWN = 'gateway_outcome_unknown';

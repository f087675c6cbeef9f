/**
 * The fraud simulator's scoring rules: a low base score, raised by large amounts, disposable email domains,
 * abusive checkout velocity, and the risk test tokens, which land in the bands the saga decides on.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DECLINE_THRESHOLD, REVIEW_THRESHOLD } from '../bands.ts';
import { DEVELOPMENT_FINGERPRINT_KEY, fingerprintOf } from '../fingerprint.ts';

const fingerprint = z.string().regex(/^[0-9a-f]{32}$/, 'must be a fingerprint (32 hex digits), never the value itself');
/** The risk test tokens as the service fingerprints them, under the key the service and this simulator share. */
const riskTokensByKey = new Map<string, { highest: string; review: string }>();
const riskTokens = (fingerprintKey = DEVELOPMENT_FINGERPRINT_KEY) => {
  // Two HMACs per key, not per scored checkout: a deployment has one key.
  let tokens = riskTokensByKey.get(fingerprintKey);
  if (!tokens) {
    tokens = { highest: fingerprintOf('tok_riskHighest', fingerprintKey), review: fingerprintOf('tok_riskReview', fingerprintKey) };
    riskTokensByKey.set(fingerprintKey, tokens);
  }
  return tokens;
};

export const scoreRequestSchema = z.object({
  checkoutId: z.string().min(1),
  customerId: z.string().min(1),
  emailDomain: z.string().min(1).max(253).regex(/^[^@\s]+$/, 'must be a domain, not an address'),
  emailFingerprint: fingerprint,
  tokenFingerprint: fingerprint,
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code'),
  itemCount: z.number().int().nonnegative(),
});
export type ScoreRequest = z.infer<typeof scoreRequestSchema>;

export interface FraudScore {
  score: number;
  reasons: string[];
}

/** What the service knows beyond the request: how many checkouts this customer made in the window. */
export interface ScoreSignals {
  recentCheckouts: number;
  velocityThreshold: number;
  /** The fingerprints' key it shares with the service (a development key if absent). */
  fingerprintKey?: string;
}

export const LARGE_AMOUNT = 100_000;
export const VERY_LARGE_AMOUNT = 1_000_000;
export const MANY_ITEMS = 50;

export const DISPOSABLE_DOMAINS: ReadonlySet<string> = new Set([
  'mailinator.com',
  'tempmail.com',
  'temp-mail.org',
  'tempmail.net',
  '10minutemail.com',
  'guerrillamail.com',
  'sharklasers.com',
  'yopmail.com',
  'trashmail.com',
  'dispostable.com',
  'getnada.com',
  'throwawaymail.com',
]);

const isDisposable = (domain: string) => DISPOSABLE_DOMAINS.has(domain) || domain.includes('tempmail');

/** 5–15, fixed per checkout so a retried scoring call gets the same answer. */
function baseScore(checkoutId: string): number {
  return 5 + (createHash('sha256').update(checkoutId).digest().readUInt16BE(0) % 11);
}

export function scoreCheckout(request: ScoreRequest, signals: ScoreSignals): FraudScore {
  let score = baseScore(request.checkoutId);
  const reasons: string[] = [];
  const raise = (points: number, reason: string) => {
    score += points;
    reasons.push(reason);
  };

  if (request.amount > VERY_LARGE_AMOUNT) raise(35, 'very_large_amount');
  else if (request.amount > LARGE_AMOUNT) raise(20, 'large_amount');

  const domain = request.emailDomain.toLowerCase();
  if (isDisposable(domain)) raise(30, 'disposable_email_domain');

  if (request.itemCount > MANY_ITEMS) raise(10, 'many_items');

  // Velocity alone is enough for a review: that many checkouts a minute is a script, not a shopper.
  if (signals.recentCheckouts > signals.velocityThreshold) raise(REVIEW_THRESHOLD, 'high_checkout_velocity');

  const risky = riskTokens(signals.fingerprintKey);
  if (request.tokenFingerprint === risky.highest) {
    score = Math.max(score, DECLINE_THRESHOLD + 10);
    reasons.push('card_on_risk_list');
  } else if (request.tokenFingerprint === risky.review) {
    // Pinned inside the review band whatever else was found, so the token always means "an operator decides".
    score = Math.min(Math.max(score, REVIEW_THRESHOLD + 10), DECLINE_THRESHOLD - 1);
    reasons.push('card_needs_review');
  }

  return { score: Math.min(100, Math.max(0, score)), reasons };
}

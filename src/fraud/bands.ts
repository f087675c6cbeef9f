/** Fraud score bands: which scores pass, wait for an operator, or are declined. */
import type { FraudDecision } from '../contracts/workflow.ts';

/** Scores from this value up are held for an operator's review. */
export const REVIEW_THRESHOLD = 60;
/** Scores from this value up are declined without review. */
export const DECLINE_THRESHOLD = 85;

export function fraudDecisionFor(score: number): FraudDecision {
  if (score >= DECLINE_THRESHOLD) return 'decline';
  if (score >= REVIEW_THRESHOLD) return 'review';
  return 'approve';
}

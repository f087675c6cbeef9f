/**
 * The order in which the checkout task queue hands out work when it has a backlog. Every task carries its
 * merchant as fairness key, so the queue takes turns between merchants: one merchant's flash sale fills
 * its own share of the queue, and another merchant's checkout waits behind one task per busy merchant,
 * not behind the whole sale (servers 1.31+ with `matching.enableFairness`; older servers ignore it).
 * Within those turns, lower levels go first: work that undoes or settles money already moved comes before
 * a new checkout. Activities inherit their workflow's fairness key and take their level from their policy.
 */
import type { Priority } from '@temporalio/common';

/** Priority levels (1 goes first; the server has 5, and a task without one counts as 3). */
export const PRIORITY_LEVEL = {
  /** Undo steps, and the steps that finish a checkout whose money was taken. */
  settleMoney: 1,
  /** A refund: the customer waits for their money. */
  refund: 2,
  /** A new checkout. */
  checkout: 3,
} as const;

/** The priority of a merchant's workflow at one level. */
export const merchantPriority = (merchantId: string, level: (typeof PRIORITY_LEVEL)[keyof typeof PRIORITY_LEVEL]): Priority => ({ fairnessKey: merchantId, priorityKey: level });

/**
 * The durable record of the authorizations a saga asked for. Authorization runs as a local step, inside a
 * workflow task: a worker that dies before the task completes leaves no trace of the call in the history,
 * yet the gateway may have authorized. So every attempt is written here *before* the gateway is asked, and:
 *
 * - a run that finds its attempt already written knows an earlier run asked and never told the saga: any
 *   answer short of a card refusal then counts as "outcome unknown", so the saga asks the same gateway
 *   again with the same key and never fails over from one that may hold the customer's money;
 * - a compensation that knows of no authorization reads here which gateways were asked, and voids what they
 *   hold (a retried task may have taken another path than its dead attempt, which authorized).
 */
import { eq } from 'drizzle-orm';
import { GATEWAY_NAMES, type GatewayName } from '../contracts/workflow.ts';
import type { Database } from '../platform/db/client.ts';
import { authorizationAttempts } from '../platform/db/schema/index.ts';

export interface AuthorizationAttempt {
  checkoutId: string;
  gateway: GatewayName;
  /** The saga's attempt on this gateway: the same number on every run of the same attempt. */
  attempt: number;
}

/** Records an attempt before its call; `repeated` when an earlier run of the same attempt asked already. */
export async function recordAuthorizationAttempt(db: Database, attempt: AuthorizationAttempt): Promise<'first' | 'repeated'> {
  const written = await db.insert(authorizationAttempts).values(attempt).onConflictDoNothing().returning({ attempt: authorizationAttempts.attempt });
  return written.length > 0 ? 'first' : 'repeated';
}

/**
 * The last gateway, in the saga's order of failover, that a checkout asked to authorize; null if none. The
 * saga leaves a gateway only once its attempts there are recorded in the history as having done nothing, so
 * this is the only gateway that can hold an authorization the saga has not heard of.
 */
export async function lastGatewayAskedToAuthorize(db: Database, checkoutId: string): Promise<GatewayName | null> {
  const rows = await db.selectDistinct({ gateway: authorizationAttempts.gateway }).from(authorizationAttempts).where(eq(authorizationAttempts.checkoutId, checkoutId));
  const asked = new Set(rows.map((r) => r.gateway));
  return GATEWAY_NAMES.findLast((gateway) => asked.has(gateway)) ?? null;
}

/** The attempt log of the payment activities, on the service's database. */
export const authorizationAttemptLog = (db: Database) => ({
  record: (attempt: AuthorizationAttempt) => recordAuthorizationAttempt(db, attempt),
  lastGatewayAsked: (checkoutId: string) => lastGatewayAskedToAuthorize(db, checkoutId),
});

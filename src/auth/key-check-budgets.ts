/**
 * Per-address budgets of key checks on the database (schema/sessions.ts): one token bucket per scope and
 * address, spent from under a row lock by whichever process checks the key, so a deployment with several API
 * or codec processes limits guessing as one. Only failed or unauthenticated checks spend, so the hot path of
 * a valid key never waits on it.
 */
import { and, eq, lt } from 'drizzle-orm';
import { spendToken, type BudgetAnswer } from './token-bucket.ts';
import type { Database } from '../platform/db/client.ts';
import { keyCheckBudgets } from '../platform/db/schema/index.ts';

/** A budget of `perMinute` checks per client address, refilling continuously. */
export interface AddressBudget {
  readonly perMinute: number;
  take(address: string): Promise<BudgetAnswer>;
}

/** Any bucket untouched this long has refilled: its row is deleted, as a fresh one would be full. */
const FULL_AFTER_MS = 60_000;

export function databaseBudget(db: Database, { scope, perMinute, now }: { scope: string; perMinute: number; now: () => number }): AddressBudget {
  let sweptAt = 0;
  return {
    perMinute,
    async take(address) {
      const t = now();
      if (t - sweptAt >= FULL_AFTER_MS) {
        sweptAt = t;
        await db.delete(keyCheckBudgets).where(lt(keyCheckBudgets.refilledAt, new Date(t - FULL_AFTER_MS)));
      }
      return db.transaction(async (tx) => {
        const key = and(eq(keyCheckBudgets.scope, scope), eq(keyCheckBudgets.address, address));
        await tx.insert(keyCheckBudgets).values({ scope, address, tokens: perMinute, refilledAt: new Date(t) }).onConflictDoNothing();
        const [row] = await tx.select().from(keyCheckBudgets).where(key).for('update');
        const { bucket, answer } = spendToken({ tokens: row!.tokens, at: row!.refilledAt.getTime() }, t, perMinute);
        await tx.update(keyCheckBudgets).set({ tokens: bucket.tokens, refilledAt: new Date(bucket.at) }).where(key);
        return answer;
      });
    },
  };
}

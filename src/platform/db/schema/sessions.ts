/** Operators' browser sessions on the operator pages (the dashboard, the codec server): opaque ids, kept here. */
import { doublePrecision, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per sign-in. The cookie holds a random id; this table holds only its SHA-256 digest, so the rows
 * cannot be replayed as cookies. A session is valid on its own surface, until it expires or is revoked
 * (signed out), and while the operator key it was opened with is still configured (`key_hash`).
 */
export const operatorSessions = pgTable(
  'operator_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    surface: text('surface', { enum: ['dashboard', 'codec'] }).notNull(),
    keyHash: text('key_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('operator_sessions_expires_idx').on(t.expiresAt)],
);

/**
 * What each client address has left of its key checks (failed API keys, operator sign-ins), one token bucket
 * per scope and address, shared by every process of a deployment: guessing keys across several API or codec
 * processes gets one budget, not one per process. A row whose bucket has filled up again is deleted.
 */
export const keyCheckBudgets = pgTable(
  'key_check_budgets',
  {
    scope: text('scope').notNull(),
    address: text('address').notNull(),
    tokens: doublePrecision('tokens').notNull(),
    refilledAt: timestamp('refilled_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.address] }), index('key_check_budgets_refilled_idx').on(t.refilledAt)],
);

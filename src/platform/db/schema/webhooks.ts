/** Merchants' webhook endpoints and the deliveries of events to them. */
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { SealedContact } from '../../../contracts/events.ts';

/** A signing secret as stored: sealed with the payload keys (bound to its endpoint), and until when it signs. */
export interface StoredSecret {
  sealed: SealedContact;
  createdAt: string;
  /** Null for the current secret; a rotated-out secret keeps signing beside the new one until then. */
  expiresAt: string | null;
}

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    /** Event types delivered, or `['*']` for every one. */
    enabledEvents: jsonb('enabled_events').$type<string[]>().notNull(),
    secrets: jsonb('secrets').$type<StoredSecret[]>().notNull(),
    status: text('status', { enum: ['enabled', 'disabled'] }).notNull(),
    disabledReason: text('disabled_reason'),
    /** Failed attempts since the last delivered one: past the limit the endpoint is disabled. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_merchant_created_idx').on(t.merchantId, t.createdAt.desc(), t.id.desc())],
);

/**
 * One row per event and endpoint (its id is the `webhook-id` of every attempt): pending until the endpoint
 * answers 2xx (`delivered`) or the retries run out (`failed`). The body is kept, so every attempt and a
 * manual redelivery send the same bytes.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    checkoutId: text('checkout_id').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** Until when a dispatcher owns the delivery's current attempt. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_created_idx').on(t.endpointId, t.createdAt.desc(), t.id.desc()),
  ],
);

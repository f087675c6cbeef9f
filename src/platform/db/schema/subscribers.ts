/**
 * What the event subscribers keep: email delivery records (one email per event) and the analytics read model
 * with its dedupe records (each event counted once). Rebuilt analytics truncate and refill the analytics_*
 * tables together.
 */
import { sql } from 'drizzle-orm';
import type { NotificationChannel } from '../../../contracts/workflow.ts';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per event the email subscriber decided to send. `sending` with a lease while a worker holds it,
 * `sent` once the SMTP server accepted it; the event id is also the email's Message-ID, so a resend after a
 * crash between SMTP and commit can be recognized by the receiver.
 */
export const emailDeliveries = pgTable(
  'email_deliveries',
  {
    eventId: text('event_id').primaryKey(),
    checkoutId: text('checkout_id').notNull(),
    template: text('template').notNull(),
    messageId: text('message_id').notNull(),
    status: text('status', { enum: ['sending', 'sent'] }).notNull(),
    attempts: integer('attempts').notNull().default(1),
    /** Until when the current attempt owns the row; another worker waits for it to pass. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('email_deliveries_checkout_idx').on(t.checkoutId)],
);

/** A fallback a notification took: from which channel to which, why, and when. */
export interface NotificationFallback {
  from: NotificationChannel;
  to: NotificationChannel;
  reason: 'rejected' | 'deadline';
  at: string;
}

/**
 * One row per outcome event the notifications subscriber delivers (SMS or push first): where it stands in the
 * delivery rules (channel, provider, attempts), so a redelivered event resumes instead of starting over, and
 * what finally happened. Claimed like an email delivery: one worker at a time, for `claimed_until`.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    eventId: text('event_id').primaryKey(),
    checkoutId: text('checkout_id').notNull(),
    status: text('status', { enum: ['sending', 'delivered', 'undeliverable'] }).notNull(),
    channel: text('channel', { enum: ['email', 'sms', 'push'] }).notNull(),
    provider: text('provider', { enum: ['primary', 'secondary'] }).notNull(),
    providerAttempts: integer('provider_attempts').notNull().default(0),
    channelAttempts: integer('channel_attempts').notNull().default(0),
    /** Every attempt on every channel and provider. */
    attempts: integer('attempts').notNull().default(0),
    channelStartedAt: timestamp('channel_started_at', { withTimezone: true }).notNull(),
    fallbacks: jsonb('fallbacks').$type<NotificationFallback[]>().notNull().default([]),
    /** The provider's id of the delivered message (the SMTP Message-ID for email). */
    providerMessageId: text('provider_message_id'),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('notification_deliveries_checkout_idx').on(t.checkoutId)],
);

/**
 * The merchant an analytics row counts for: every counter is kept per merchant, and an operator's view sums
 * them. Events published before they carried a merchant count under '' (operators see them, merchants not).
 */
const analyticsMerchant = () => text('merchant_id').notNull().default('');

/** The analytics dedupe record: an event id present here has been counted. Also holds each latency sample. */
export const analyticsProcessedEvents = pgTable(
  'analytics_processed_events',
  {
    eventId: text('event_id').primaryKey(),
    merchantId: analyticsMerchant(),
    type: text('type').notNull(),
    checkoutId: text('checkout_id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** Checkout start to outcome, ms; null when the event's times cannot be read. */
    latencyMs: integer('latency_ms'),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('analytics_processed_events_occurred_idx').on(t.occurredAt), index('analytics_processed_events_merchant_idx').on(t.merchantId)],
);

/** Outcomes per minute of `occurredAt`. */
export const analyticsOutcomesPerMinute = pgTable(
  'analytics_outcomes_per_minute',
  {
    merchantId: analyticsMerchant(),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    outcome: text('outcome').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.minute, t.outcome] }), check('analytics_outcomes_count_non_negative', sql`${t.count} >= 0`)],
);

/** Revenue of completed checkouts, in minor units, per currency. */
export const analyticsRevenue = pgTable(
  'analytics_revenue',
  {
    merchantId: analyticsMerchant(),
    currency: text('currency').notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    orders: integer('orders').notNull(),
    /** Refunded of `total` since (merchants' refunds after completion). */
    refunded: bigint('refunded', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.currency] })],
);

/** Declines, failures and cancellations by failure code. */
export const analyticsFailureReasons = pgTable(
  'analytics_failure_reasons',
  { merchantId: analyticsMerchant(), code: text('code').notNull(), count: integer('count').notNull() },
  (t) => [primaryKey({ columns: [t.merchantId, t.code] })],
);

/** Fraud scores in buckets of ten: bucket 0 holds 0–9, …, bucket 90 holds 90–100. */
export const analyticsFraudScores = pgTable(
  'analytics_fraud_scores',
  { merchantId: analyticsMerchant(), bucket: integer('bucket').notNull(), count: integer('count').notNull() },
  (t) => [primaryKey({ columns: [t.merchantId, t.bucket] })],
);

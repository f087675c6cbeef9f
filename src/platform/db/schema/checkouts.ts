/** What the saga's activities record: stock reservations, orders, and each checkout's final state. */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { CheckoutView, PricedItem } from '../../../contracts/checkout.ts';

/** One row per (checkout, SKU): reserved → committed | released. Keyed by checkout so retries are no-ops. */
export const inventoryReservations = pgTable(
  'inventory_reservations',
  {
    checkoutId: text('checkout_id').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    status: text('status', { enum: ['reserved', 'committed', 'released'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.checkoutId, t.sku] }), check('inventory_reservations_quantity_positive', sql`${t.quantity} > 0`)],
);

export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    /** One order per checkout, at most: creating it again returns the same row. */
    checkoutId: text('checkout_id').notNull().unique(),
    /** The merchant whose checkout created the order (null for orders from before it was recorded). */
    merchantId: text('merchant_id'),
    customerId: text('customer_id').notNull(),
    status: text('status', { enum: ['pending_payment', 'paid', 'cancelled'] }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    items: jsonb('items').$type<PricedItem[]>().notNull(),
    shippingAddress: jsonb('shipping_address').$type<Record<string, string>>().notNull(),
    captureId: text('capture_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('orders_customer_idx').on(t.customerId)],
);

/**
 * Every authorization the saga asked a gateway for, written before the gateway is asked: the saga's batches
 * run as local steps, so a worker that dies mid-batch leaves no trace of its calls in the history. A second
 * row for the same attempt means an earlier run asked and its answer was lost; the gateways listed for a
 * checkout are those that may hold its authorization.
 */
export const authorizationAttempts = pgTable(
  'authorization_attempts',
  {
    checkoutId: text('checkout_id').notNull(),
    gateway: text('gateway').notNull(),
    /** The saga's attempt on this gateway (1, 2, …): the same number on every run of the same attempt. */
    attempt: integer('attempt').notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.checkoutId, t.gateway, t.attempt] })],
);

/** The final checkout object of each finished saga, written by the workflow's last activity. */
export const checkoutResults = pgTable(
  'checkout_results',
  {
    checkoutId: text('checkout_id').primaryKey(),
    status: text('status').notNull(),
    customerId: text('customer_id').notNull(),
    view: jsonb('view').$type<CheckoutView>().notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The status index answers the escalated-checkouts gauge of every /metrics scrape without a table scan.
  (t) => [index('checkout_results_customer_idx').on(t.customerId), index('checkout_results_status_idx').on(t.status)],
);

/** Stripe-style idempotency keys: the same key and body name the same checkout for at least 24 h. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    merchantId: text('merchant_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    checkoutId: text('checkout_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);

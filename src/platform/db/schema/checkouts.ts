/** What the saga's activities record: stock reservations, orders, and each checkout's final state. */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { CheckoutView, PricedItem } from '../../../contracts/checkout.ts';
import type { SealedContact } from '../../../contracts/events.ts';
import { REFUND_REASONS, REFUND_STATUSES } from '../../../contracts/refund.ts';

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
  (t) => [
    index('orders_customer_idx').on(t.customerId),
    index('orders_merchant_created_idx').on(t.merchantId, t.createdAt.desc(), t.id.desc()),
  ],
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

/**
 * The recorded state of every checkout the saga has started: the list's read model. The saga's first step
 * records it, holding for review updates it, and its last activity records the final state (`finishedAt`
 * set), which the API serves once the workflow is closed. A running checkout's row lags its workflow: the
 * live state is the workflow's.
 */
export const checkoutResults = pgTable(
  'checkout_results',
  {
    checkoutId: text('checkout_id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    status: text('status').notNull(),
    customerId: text('customer_id').notNull(),
    clientReferenceId: text('client_reference_id'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    view: jsonb('view').$type<CheckoutView>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The customer's contact, sealed with the payload keys (bound to the checkout): a refund's email needs it. */
    sealedContact: jsonb('sealed_contact').$type<SealedContact>(),
    /** Null while the saga runs. */
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    // The status index answers the escalated-checkouts gauge of every /metrics scrape without a table scan.
    index('checkout_results_status_idx').on(t.status),
    // The list: a merchant's checkouts newest first, by page; the same per customer; metadata by containment.
    index('checkout_results_merchant_created_idx').on(t.merchantId, t.createdAt.desc(), t.checkoutId.desc()),
    index('checkout_results_customer_created_idx').on(t.customerId, t.createdAt.desc(), t.checkoutId.desc()),
    index('checkout_results_metadata_idx').using('gin', sql`${t.metadata} jsonb_path_ops`),
  ],
);

/**
 * Refunds of completed checkouts. A row is written by the refund's admission step, in a transaction that
 * locks the checkout's order, so two refunds can never together take back more than was captured; a failed
 * refund's amount is refundable again, an escalated one's stays held until an operator settles it.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    checkoutId: text('checkout_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    orderId: text('order_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason', { enum: REFUND_REASONS }),
    status: text('status', { enum: REFUND_STATUSES }).notNull(),
    gateway: text('gateway').notNull(),
    captureId: text('capture_id').notNull(),
    gatewayRefundId: text('gateway_refund_id'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('refunds_amount_positive', sql`${t.amount} > 0`),
    index('refunds_checkout_created_idx').on(t.checkoutId, t.createdAt.desc(), t.id.desc()),
    index('refunds_merchant_created_idx').on(t.merchantId, t.createdAt.desc(), t.id.desc()),
    index('refunds_status_idx').on(t.status),
  ],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    merchantId: text('merchant_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** The checkout or refund the key names (the column is named for the checkouts it named first). */
    objectId: text('checkout_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);

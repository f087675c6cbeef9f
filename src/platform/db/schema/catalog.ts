/** The catalog: products, their prices per currency, and the stock that reservations draw from. */
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const products = pgTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    /** Units available to reserve; the constraint makes overselling impossible, whatever the code does. */
    stock: integer('stock').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('products_stock_non_negative', sql`${t.stock} >= 0`)],
);

export const productPrices = pgTable(
  'product_prices',
  {
    sku: text('sku')
      .notNull()
      .references(() => products.sku, { onDelete: 'cascade' }),
    currency: text('currency').notNull(),
    unitAmount: integer('unit_amount').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.currency] }), check('product_prices_amount_non_negative', sql`${t.unitAmount} >= 0`)],
);

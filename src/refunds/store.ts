/** Reading refunds: one by id, a checkout's or a merchant's by page, and what is left to refund. */
import { and, count, eq, ne, sum } from 'drizzle-orm';
import type { RefundStatus, RefundView } from '../contracts/refund.ts';
import type { Database } from '../platform/db/client.ts';
import { equals, keysetPage, type Page, type PageRequest } from '../platform/db/keyset-page.ts';
import { orders, refunds } from '../platform/db/schema/index.ts';
import { refundViewOf } from './admission.ts';

export async function readRefund(db: Database, refundId: string): Promise<RefundView | null> {
  const [row] = await db.select().from(refunds).where(eq(refunds.id, refundId));
  return row ? refundViewOf(row) : null;
}

export interface RefundFilters {
  /** Only this merchant's refunds; absent for an operator. */
  merchantId?: string;
  checkoutId?: string;
  status?: RefundStatus;
}

export async function listRefunds(db: Database, filters: RefundFilters, page: PageRequest): Promise<Page<RefundView>> {
  return keysetPage(
    db,
    { table: refunds, id: refunds.id, createdAt: refunds.createdAt },
    {
      owner: equals(refunds.merchantId, filters.merchantId),
      filters: [equals(refunds.checkoutId, filters.checkoutId), equals(refunds.status, filters.status)],
      page,
    },
    async (where, orderBy, limit) => (await db.select().from(refunds).where(where).orderBy(...orderBy).limit(limit)).map(refundViewOf),
  );
}

/** What is left to refund of a checkout's capture (0 when it has none), for an answer that names it. */
export async function refundableOf(db: Database, checkoutId: string): Promise<{ refundable: number; currency: string }> {
  const [order] = await db.select({ total: orders.total, currency: orders.currency, status: orders.status }).from(orders).where(eq(orders.checkoutId, checkoutId));
  if (!order || order.status !== 'paid') return { refundable: 0, currency: order?.currency ?? '' };
  const [held] = await db
    .select({ amount: sum(refunds.amount) })
    .from(refunds)
    .where(and(eq(refunds.checkoutId, checkoutId), ne(refunds.status, 'failed')));
  return { refundable: Math.max(0, order.total - Number(held?.amount ?? 0)), currency: order.currency };
}

/** How many refunds are in `status` (e.g. `escalated`, for the gauge operators alert on). */
export async function countRefundsInStatus(db: Database, status: RefundStatus): Promise<number> {
  const [row] = await db.select({ n: count() }).from(refunds).where(eq(refunds.status, status));
  return row?.n ?? 0;
}

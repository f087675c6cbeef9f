/** The merchant's list of orders, newest first. */
import type { Database } from '../platform/db/client.ts';
import { createdWithin, equals, keysetPage, type CreatedRange, type Page, type PageRequest } from '../platform/db/keyset-page.ts';
import { orders } from '../platform/db/schema/index.ts';

export type OrderRow = typeof orders.$inferSelect;

export interface OrderFilters {
  /** Only this merchant's orders; absent for an operator, who sees every merchant's. */
  merchantId?: string;
  status?: OrderRow['status'];
  customerId?: string;
  checkoutId?: string;
  created?: CreatedRange;
}

export async function listOrders(db: Database, filters: OrderFilters, page: PageRequest): Promise<Page<OrderRow>> {
  return keysetPage(
    db,
    { table: orders, id: orders.id, createdAt: orders.createdAt },
    {
      owner: equals(orders.merchantId, filters.merchantId),
      filters: [equals(orders.status, filters.status), equals(orders.customerId, filters.customerId), equals(orders.checkoutId, filters.checkoutId), ...createdWithin(orders.createdAt, filters.created)],
      page,
    },
    (where, orderBy, limit) => db.select().from(orders).where(where).orderBy(...orderBy).limit(limit),
  );
}

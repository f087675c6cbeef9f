/** The merchant's list of checkouts, read from the recorded states (never from Temporal's visibility). */
import { sql } from 'drizzle-orm';
import type { CheckoutStatus, CheckoutView } from '../contracts/checkout.ts';
import type { Database } from '../platform/db/client.ts';
import { createdWithin, equals, keysetPage, type CreatedRange, type Page, type PageRequest } from '../platform/db/keyset-page.ts';
import { checkoutResults } from '../platform/db/schema/index.ts';

export interface CheckoutFilters {
  /** Only this merchant's checkouts; absent for an operator, who sees every merchant's. */
  merchantId?: string;
  status?: CheckoutStatus;
  customerId?: string;
  clientReferenceId?: string;
  created?: CreatedRange;
  /** Every pair must be in the checkout's metadata. */
  metadata?: Record<string, string>;
}

export async function listCheckouts(db: Database, filters: CheckoutFilters, page: PageRequest): Promise<Page<CheckoutView>> {
  const t = checkoutResults;
  return keysetPage(
    db,
    { table: t, id: t.checkoutId, createdAt: t.createdAt },
    {
      owner: equals(t.merchantId, filters.merchantId),
      filters: [
        equals(t.status, filters.status),
        equals(t.customerId, filters.customerId),
        equals(t.clientReferenceId, filters.clientReferenceId),
        // Containment, which the metadata's GIN index answers.
        filters.metadata ? sql`${t.metadata} @> ${JSON.stringify(filters.metadata)}::jsonb` : undefined,
        ...createdWithin(t.createdAt, filters.created),
      ],
      page,
    },
    async (where, orderBy, limit) => {
      const rows = await db.select({ view: t.view }).from(t).where(where).orderBy(...orderBy).limit(limit);
      return rows.map((row) => row.view);
    },
  );
}

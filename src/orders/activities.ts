/** Orders and final checkout records on the database, idempotent by checkout id. */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { CheckoutView, PricedItem } from '../contracts/checkout.ts';
import type { SealedContact } from '../contracts/events.ts';
import type { Database } from '../platform/db/client.ts';
import { checkoutResults, orders } from '../platform/db/schema/index.ts';
import { derivedId } from '../platform/ids.ts';
import { commitReservation } from '../inventory/index.ts';

export interface CreateOrderInput {
  checkoutId: string;
  merchantId: string;
  customerId: string;
  items: PricedItem[];
  total: number;
  currency: string;
  shippingAddress: Record<string, string>;
}

/** The order id of a checkout: derived, so a retried create names the same order. */
export const orderIdFor = (checkoutId: string) => derivedId('ord', checkoutId);

export const createOrderActivities = ({ db }: { db: Database }) => ({
  async createOrder(input: CreateOrderInput): Promise<{ orderId: string }> {
    const id = orderIdFor(input.checkoutId);
    await db
      .insert(orders)
      .values({ id, ...input, status: 'pending_payment' })
      .onConflictDoNothing({ target: orders.checkoutId });
    return { orderId: id };
  },

  async markOrderPaid({ checkoutId, captureId }: { checkoutId: string; captureId: string }): Promise<void> {
    await markPaid(db, checkoutId, captureId);
  },

  /**
   * The customer has paid: marks the order paid and makes its stock reservation final, in one transaction
   * (one step of the saga instead of two). Repeating it changes nothing.
   */
  async completePaidOrder({ checkoutId, captureId }: { checkoutId: string; captureId: string }): Promise<void> {
    await db.transaction(async (tx) => {
      await markPaid(tx, checkoutId, captureId);
      await commitReservation(tx, checkoutId);
    });
  },

  /** Cancels the order unless it was paid; a paid order is cancelled only after its refund (see the saga). */
  async cancelOrder({ checkoutId }: { checkoutId: string }): Promise<void> {
    await db
      .update(orders)
      .set({ status: 'cancelled', updatedAt: new Date() })
      .where(and(eq(orders.checkoutId, checkoutId), ne(orders.status, 'cancelled')));
  },

  /**
   * Stores the final checkout object, which the API serves once the workflow is closed, with its customer
   * sealed (absent from the steps of checkouts started before it was kept).
   */
  async recordCheckoutResult(view: CheckoutView, sealedContact?: SealedContact): Promise<void> {
    const row = { ...listedCheckout(view), finishedAt: new Date(view.updatedAt), ...(sealedContact ? { sealedContact } : {}) };
    await db.insert(checkoutResults).values(row).onConflictDoUpdate({ target: checkoutResults.checkoutId, set: row });
  },

  /**
   * Records a running checkout as the list shows it. Never over a final state: a step of a dead task that
   * completes late must not bring a finished checkout back to life.
   */
  async recordCheckoutProgress(view: CheckoutView): Promise<void> {
    const row = listedCheckout(view);
    await db
      .insert(checkoutResults)
      .values(row)
      .onConflictDoUpdate({ target: checkoutResults.checkoutId, set: { status: row.status, view: row.view }, setWhere: isNull(checkoutResults.finishedAt) });
  },
});

/** A checkout's row in the list's read model, from its view. */
const listedCheckout = (view: CheckoutView) => ({
  checkoutId: view.id,
  merchantId: view.merchantId,
  status: view.status,
  customerId: view.customerId,
  clientReferenceId: view.clientReferenceId,
  metadata: view.metadata,
  view,
  createdAt: new Date(view.createdAt),
});

/** Marks a checkout's order paid by its capture. */
async function markPaid(db: Database, checkoutId: string, captureId: string): Promise<void> {
  await db.update(orders).set({ status: 'paid', captureId, updatedAt: new Date() }).where(eq(orders.checkoutId, checkoutId));
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

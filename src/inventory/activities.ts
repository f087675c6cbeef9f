/**
 * Stock reservations on the database. Every operation is keyed by checkout id, so a retried activity finds
 * its earlier work instead of repeating it; the `stock >= 0` constraint backs the conditional decrement.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../platform/db/client.ts';
import { inventoryReservations, products } from '../platform/db/schema/index.ts';

export interface ReserveInput {
  checkoutId: string;
  items: { sku: string; quantity: number }[];
}

export type ReservationState = 'reserved' | 'committed' | 'released';

export const createInventoryActivities = ({ db }: { db: Database }) => ({
  /**
   * Makes the checkout hold its stock: takes it for every line, or none (a short SKU fails the whole
   * reservation with `out_of_stock`). A reservation it already holds is returned as it is. One released
   * earlier — held for review, or by a task whose worker died before the saga heard of the release — is
   * taken again: the saga asks for stock because it needs it now.
   */
  async reserveInventory({ checkoutId, items }: ReserveInput): Promise<{ state: ReservationState }> {
    return db.transaction(async (tx) => {
      const existing = await tx
        .select({ status: inventoryReservations.status })
        .from(inventoryReservations)
        .where(eq(inventoryReservations.checkoutId, checkoutId))
        .limit(1);
      if (existing[0] && existing[0].status !== 'released') return { state: existing[0].status };
      // The released reservation makes way for the new one; a retry of this call then finds it reserved.
      if (existing[0]) await tx.delete(inventoryReservations).where(eq(inventoryReservations.checkoutId, checkoutId));

      // Lock rows in SKU order so concurrent checkouts over the same SKUs cannot deadlock.
      const lines = [...items].sort((a, b) => a.sku.localeCompare(b.sku));
      const short: string[] = [];
      for (const { sku, quantity } of lines) {
        const taken = await tx
          .update(products)
          .set({ stock: sql`${products.stock} - ${quantity}`, updatedAt: new Date() })
          .where(and(eq(products.sku, sku), sql`${products.stock} >= ${quantity}`))
          .returning({ sku: products.sku });
        if (taken.length === 0) short.push(sku);
      }
      if (short.length > 0) {
        // Throwing rolls back the decrements already made in this transaction.
        throw ApplicationFailure.nonRetryable(`not enough stock for ${short.join(', ')}`, 'out_of_stock', { skus: short });
      }
      await tx.insert(inventoryReservations).values(lines.map(({ sku, quantity }) => ({ checkoutId, sku, quantity, status: 'reserved' as const })));
      return { state: 'reserved' as const };
    });
  },

  /**
   * Returns the checkout's stock to the shelf, whatever its state: reserved, or committed by a step the saga
   * may never have heard of (a compensation asks the world, not the saga's memory). Releasing twice, or
   * releasing nothing, changes nothing.
   */
  async releaseInventory({ checkoutId }: { checkoutId: string }): Promise<{ released: number }> {
    return db.transaction(async (tx) => {
      const held = await tx
        .select()
        .from(inventoryReservations)
        .where(and(eq(inventoryReservations.checkoutId, checkoutId), inArray(inventoryReservations.status, ['reserved', 'committed'])))
        .orderBy(asc(inventoryReservations.sku))
        .for('update');
      for (const line of held) {
        await tx
          .update(products)
          .set({ stock: sql`${products.stock} + ${line.quantity}`, updatedAt: new Date() })
          .where(eq(products.sku, line.sku));
      }
      if (held.length > 0) {
        await tx
          .update(inventoryReservations)
          .set({ status: 'released', updatedAt: new Date() })
          .where(and(eq(inventoryReservations.checkoutId, checkoutId), inArray(inventoryReservations.status, ['reserved', 'committed'])));
      }
      return { released: held.length };
    });
  },

  /** Makes a reservation final once the customer has paid. */
  async commitInventory({ checkoutId }: { checkoutId: string }): Promise<void> {
    await commitReservation(db, checkoutId);
  },
});

/** Makes a checkout's stock reservation final; on its own or inside a caller's transaction. */
export async function commitReservation(db: Database, checkoutId: string): Promise<void> {
  await db
    .update(inventoryReservations)
    .set({ status: 'committed', updatedAt: new Date() })
    .where(and(eq(inventoryReservations.checkoutId, checkoutId), eq(inventoryReservations.status, 'reserved')));
}

export type InventoryActivities = ReturnType<typeof createInventoryActivities>;

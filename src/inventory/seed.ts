/** The demo catalog of the local stack, including one low-stock SKU for flash-sale experiments. */
import { products, productPrices } from '../platform/db/schema/index.ts';
import type { Database } from '../platform/db/client.ts';

export const DEMO_CATALOG = [
  { sku: 'SKU-MUG', name: 'Enamel mug', stock: 500, prices: { USD: 1999, EUR: 1899 } },
  { sku: 'SKU-TEE', name: 'Organic cotton tee', stock: 300, prices: { USD: 2500, EUR: 2300 } },
  { sku: 'SKU-HOODIE', name: 'Zip hoodie', stock: 120, prices: { USD: 5900, EUR: 5500 } },
  { sku: 'SKU-STICKER', name: 'Sticker pack', stock: 5000, prices: { USD: 499, EUR: 450, GBP: 399, JPY: 750 } },
  { sku: 'SKU-LIMITED', name: 'Limited edition print', stock: 3, prices: { USD: 12000 } },
] as const;

export type CatalogSeed = { sku: string; name: string; stock: number; prices: Record<string, number> };

/** Inserts products that are missing; never resets stock of products that exist, so restarts keep state. */
export async function seedCatalog(db: Database, catalog: readonly CatalogSeed[] = DEMO_CATALOG): Promise<void> {
  await db.transaction(async (tx) => {
    for (const item of catalog) {
      await tx.insert(products).values({ sku: item.sku, name: item.name, stock: item.stock }).onConflictDoNothing();
      for (const [currency, unitAmount] of Object.entries(item.prices)) {
        await tx.insert(productPrices).values({ sku: item.sku, currency, unitAmount }).onConflictDoNothing();
      }
    }
  });
}

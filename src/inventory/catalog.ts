/** Reads the catalog (products and their prices) into the map `priceCart` takes, cached briefly. */
import { asc } from 'drizzle-orm';
import type { CatalogEntry } from './pricing.ts';
import type { Database } from '../platform/db/client.ts';
import { productPrices, products } from '../platform/db/schema/index.ts';

export type Catalog = ReadonlyMap<string, CatalogEntry>;

/** Loads every product with its prices per currency. */
export async function loadCatalog(db: Database): Promise<Catalog> {
  const [productRows, priceRows] = await Promise.all([
    db.select({ sku: products.sku, name: products.name }).from(products).orderBy(asc(products.sku)),
    db.select().from(productPrices),
  ]);
  const catalog = new Map<string, CatalogEntry>(productRows.map((p) => [p.sku, { sku: p.sku, name: p.name, prices: {} }]));
  for (const price of priceRows) {
    const entry = catalog.get(price.sku);
    if (entry) entry.prices[price.currency] = price.unitAmount;
  }
  return catalog;
}

export interface CatalogSource {
  /** The catalog as of at most `ttlMs` ago. */
  get(): Promise<Catalog>;
}

/**
 * A catalog read through a short cache: one load per `ttlMs`, shared by concurrent callers. A failed load is
 * not cached, so the next call tries again.
 */
export function createCatalogCache({ db, ttlMs = 5_000, now = Date.now }: { db: Database; ttlMs?: number; now?: () => number }): CatalogSource {
  let cached: { at: number; catalog: Promise<Catalog> } | null = null;
  return {
    get() {
      if (cached && now() - cached.at < ttlMs) return cached.catalog;
      const entry = { at: now(), catalog: loadCatalog(db) };
      cached = entry;
      entry.catalog.catch(() => {
        if (cached === entry) cached = null;
      });
      return entry.catalog;
    },
  };
}

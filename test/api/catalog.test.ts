/** The catalog read model behind pricing: loaded from the database into the map `priceCart` takes, cached briefly. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../../src/platform/db/client.ts';
import { createCatalogCache, loadCatalog } from '../../src/inventory/catalog.ts';
import { productPrices } from '../../src/platform/db/schema/index.ts';
import { openTestDatabase } from './support/test-app.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
}, 60_000);
afterAll(() => database?.close());

describe('loadCatalog', () => {
  it('loads every product with its prices by currency', async () => {
    const catalog = await loadCatalog(database.db);
    expect(catalog.get('SKU-MUG')).toEqual({ sku: 'SKU-MUG', name: 'Enamel mug', prices: { USD: 1999, EUR: 1899 } });
    expect(catalog.get('SKU-STICKER')!.prices).toEqual({ USD: 499, EUR: 450, GBP: 399, JPY: 750 });
    expect(catalog.size).toBe(5);
  });
});

describe('createCatalogCache', () => {
  it('serves one load for the TTL, shares it between concurrent callers, then reloads', async () => {
    let loads = 0;
    const db = new Proxy(database.db, {
      get(target, prop, receiver) {
        if (prop === 'select') loads += 1;
        return Reflect.get(target, prop, receiver);
      },
    }) as Database;
    let now = 0;
    const cache = createCatalogCache({ db, ttlMs: 1_000, now: () => now });
    await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(loads).toBe(2); // products + prices, once
    now = 999;
    await cache.get();
    expect(loads).toBe(2);

    await database.db.update(productPrices).set({ unitAmount: 2099 }).where(eq(productPrices.sku, 'SKU-MUG'));
    now = 1_000;
    expect((await cache.get()).get('SKU-MUG')!.prices.USD).toBe(2099);
    expect(loads).toBe(4);
    await database.db.update(productPrices).set({ unitAmount: 1999 }).where(eq(productPrices.sku, 'SKU-MUG'));
  });

  it('does not cache a failed load', async () => {
    let fail = true;
    const db = new Proxy(database.db, {
      get(target, prop, receiver) {
        if (prop === 'select' && fail) throw new Error('database unavailable');
        return Reflect.get(target, prop, receiver);
      },
    }) as Database;
    const cache = createCatalogCache({ db, ttlMs: 60_000 });
    await expect(cache.get()).rejects.toThrow('database unavailable');
    fail = false;
    expect((await cache.get()).size).toBe(5);
  });
});

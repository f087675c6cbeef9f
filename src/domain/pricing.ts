/** Prices a cart from the server's catalog: the client never names a price. */
import type { CartItem } from './cart.ts';
import type { Money, PricedItem } from '../contracts/checkout.ts';

export interface CatalogEntry {
  sku: string;
  name: string;
  /** Unit price in minor units, by ISO 4217 currency. */
  prices: Record<string, number>;
}

export type PricingResult =
  | { ok: true; items: PricedItem[]; amount: Money }
  | { ok: false; problems: { path: string; message: string }[]; code: 'unknown_sku' | 'unsupported_currency' };

export function priceCart(catalog: ReadonlyMap<string, CatalogEntry>, items: CartItem[], currency: string): PricingResult {
  const unknown = items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => !catalog.has(item.sku))
    .map(({ item, index }) => ({ path: `items.${index}.sku`, message: `unknown SKU "${item.sku}"` }));
  if (unknown.length > 0) return { ok: false, code: 'unknown_sku', problems: unknown };

  const unpriced = items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => catalog.get(item.sku)?.prices[currency] === undefined)
    .map(({ item, index }) => ({ path: `items.${index}.sku`, message: `"${item.sku}" is not sold in ${currency}` }));
  if (unpriced.length > 0) {
    return { ok: false, code: 'unsupported_currency', problems: [{ path: 'currency', message: `currency ${currency} is not supported for this cart` }, ...unpriced] };
  }

  // Repeated lines of one SKU are merged so stock is reserved once per SKU.
  const merged = new Map<string, number>();
  for (const { sku, quantity } of items) merged.set(sku, (merged.get(sku) ?? 0) + quantity);
  const priced: PricedItem[] = [...merged].map(([sku, quantity]) => {
    const entry = catalog.get(sku)!;
    return { sku, name: entry.name, quantity, unitAmount: entry.prices[currency]! };
  });
  const total = priced.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
  return { ok: true, items: priced, amount: { total, currency } };
}

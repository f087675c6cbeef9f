/** Prices a cart from the server's catalog: the client never names a price. */
import type { CartItem } from './cart.ts';
import { MAX_QUANTITY_PER_PRODUCT, type Money, type PricedItem } from '../contracts/checkout.ts';

export interface CatalogEntry {
  sku: string;
  name: string;
  /** Unit price in minor units, by ISO 4217 currency. */
  prices: Record<string, number>;
}

export type PricingResult =
  | { ok: true; items: PricedItem[]; amount: Money }
  | { ok: false; problems: { path: string; message: string }[]; code: 'unknown_sku' | 'unsupported_currency' | 'invalid_request' | 'zero_amount' };

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

  // Repeated lines of one SKU are merged so stock is reserved once per SKU; the cap on one product holds
  // for the merged line too.
  const merged = new Map<string, number>();
  for (const { sku, quantity } of items) merged.set(sku, (merged.get(sku) ?? 0) + quantity);
  const over = [...merged]
    .filter(([, quantity]) => quantity > MAX_QUANTITY_PER_PRODUCT)
    .map(([sku, quantity]) => ({
      path: `items.${items.findIndex((item) => item.sku === sku)}.quantity`,
      message: `"${sku}" is on several lines adding up to ${quantity}; at most ${MAX_QUANTITY_PER_PRODUCT} of one product per checkout`,
    }));
  if (over.length > 0) return { ok: false, code: 'invalid_request', problems: over };

  const priced: PricedItem[] = [...merged].map(([sku, quantity]) => {
    const entry = catalog.get(sku)!;
    return { sku, name: entry.name, quantity, unitAmount: entry.prices[currency]! };
  });
  const total = priced.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
  // A payment of nothing cannot be authorized; a cart of free items is not a checkout to run.
  if (total === 0) return { ok: false, code: 'zero_amount', problems: [{ path: 'items', message: `the cart comes to 0 ${currency}: there is nothing to pay` }] };
  return { ok: true, items: priced, amount: { total, currency } };
}

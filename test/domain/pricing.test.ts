/** Pricing a cart from the catalog: what it refuses, with the paths the API reports. */
import { describe, expect, it } from 'vitest';
import { priceCart, type CatalogEntry } from '../../src/inventory/pricing.ts';
import { formatMoneyCode } from '../../src/platform/money.ts';

const catalog = new Map<string, CatalogEntry>([
  ['SKU-MUG', { sku: 'SKU-MUG', name: 'Mug', prices: { USD: 1999, JPY: 300 } }],
  ['SKU-SAMPLE', { sku: 'SKU-SAMPLE', name: 'Free sample', prices: { USD: 0 } }],
]);

describe('priceCart', () => {
  it('merges lines of one SKU and prices them from the catalog', () => {
    expect(priceCart(catalog, [{ sku: 'SKU-MUG', quantity: 2 }, { sku: 'SKU-MUG', quantity: 3 }, { sku: 'SKU-SAMPLE', quantity: 1 }], 'USD')).toEqual({
      ok: true,
      items: [
        { sku: 'SKU-MUG', name: 'Mug', quantity: 5, unitAmount: 1999 },
        { sku: 'SKU-SAMPLE', name: 'Free sample', quantity: 1, unitAmount: 0 },
      ],
      amount: { total: 9995, currency: 'USD' },
    });
  });

  it('holds the cap of 1000 of one product after merging, naming the first line of that product', () => {
    const result = priceCart(catalog, [{ sku: 'SKU-SAMPLE', quantity: 1 }, { sku: 'SKU-MUG', quantity: 600 }, { sku: 'SKU-MUG', quantity: 600 }], 'USD');
    expect(result).toEqual({ ok: false, code: 'invalid_request', problems: [{ path: 'items.1.quantity', message: expect.stringContaining('adding up to 1200; at most 1000') }] });
  });

  it('refuses a cart that comes to nothing: there is no payment to authorize', () => {
    const result = priceCart(catalog, [{ sku: 'SKU-SAMPLE', quantity: 3 }], 'USD');
    expect(result).toEqual({ ok: false, code: 'zero_amount', problems: [{ path: 'items', message: 'the cart comes to 0 USD: there is nothing to pay' }] });
  });
});

describe('money in minor units', () => {
  it.each([
    [3998, 'USD', 'USD 39.98'],
    [1500, 'JPY', 'JPY 1500'],
    [1234, 'KWD', 'KWD 1.234'],
  ])('%i %s is %s', (minor, currency, shown) => {
    expect(formatMoneyCode(minor, currency)).toBe(shown);
  });
});

/**
 * Money in minor units, shown to people. Intl formatters are costly to build (tens of microseconds and
 * garbage each), and every checkout formats a few amounts, so one formatter per currency is kept.
 */
const formatters = new Map<string, Intl.NumberFormat | null>();

/** The en-US currency formatter of a currency, or null when Intl does not know the code. */
function formatterOf(currency: string): Intl.NumberFormat | null {
  let format = formatters.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      format = null;
    }
    formatters.set(currency, format);
  }
  return format;
}

/** How many decimals a currency's minor unit has: 2 for USD, 0 for JPY; 2 for a code Intl does not know. */
export const minorUnitDigits = (currency: string): number => formatterOf(currency)?.resolvedOptions().maximumFractionDigits ?? 2;

/** Formats minor units in their currency, e.g. 3998 USD → "$39.98", 500 JPY → "¥500". */
export function formatMoney(minor: number, currency: string): string {
  const format = formatterOf(currency);
  if (!format) return `${(minor / 100).toFixed(2)} ${currency}`;
  return format.format(minor / 10 ** minorUnitDigits(currency));
}

/** Minor units with the currency code, e.g. 3998 USD → "USD 39.98": plain text for labels and logs. */
export function formatMoneyCode(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return `${currency} ${(minor / 10 ** digits).toFixed(digits)}`;
}

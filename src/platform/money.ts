/**
 * Money in minor units, shown to people. Intl formatters are costly to build (tens of microseconds and
 * garbage each), and every checkout formats a few amounts, so one formatter per currency is kept, with the
 * number of decimals it resolved to.
 */
interface CurrencyFormat {
  /** The en-US currency formatter, or null when Intl does not know the code. */
  format: Intl.NumberFormat | null;
  /** Decimals of the minor unit: 2 for USD, 0 for JPY; null for a code Intl does not know. */
  digits: number | null;
}

const formats = new Map<string, CurrencyFormat>();

function formatOf(currency: string): CurrencyFormat {
  let entry = formats.get(currency);
  if (entry === undefined) {
    let format: Intl.NumberFormat | null = null;
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      // An unknown code: shown as plain decimals with its code.
    }
    entry = { format, digits: format?.resolvedOptions().maximumFractionDigits ?? null };
    formats.set(currency, entry);
  }
  return entry;
}

/** Formats minor units in their currency, e.g. 3998 USD → "$39.98", 500 JPY → "¥500". */
export function formatMoney(minor: number, currency: string): string {
  const { format, digits } = formatOf(currency);
  if (!format || digits === null) return unknownCurrency(minor, currency);
  return format.format(minor / 10 ** digits);
}

/** A code Intl does not know: its minor unit is unknown too, so the amount is shown as it is, never guessed. */
const unknownCurrency = (minor: number, currency: string) => `${minor} ${currency} (minor units)`;

/** Minor units with the currency code, e.g. 3998 USD → "USD 39.98": plain text for labels and logs. */
export function formatMoneyCode(minor: number, currency: string): string {
  const { digits } = formatOf(currency);
  if (digits === null) return unknownCurrency(minor, currency);
  return `${currency} ${(minor / 10 ** digits).toFixed(digits)}`;
}

/** A gateway simulator's ledger: one entry per effect on money, so anyone can check nobody was charged twice. */

/** `expiry`: an authorization nobody captured or voided lapsed at the end of its hold, releasing the money. */
export type LedgerKind = 'authorization' | 'capture' | 'void' | 'refund' | 'expiry';

export interface LedgerEntry {
  kind: LedgerKind;
  id: string;
  checkoutId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
  /** ISO 8601 time the effect happened. */
  at: string;
}

export class GatewayLedger {
  readonly #entries: LedgerEntry[] = [];

  record(entry: LedgerEntry): void {
    this.#entries.push({ ...entry });
  }

  /** Entries in the order they happened, optionally only those of one checkout. */
  list(checkoutId?: string): LedgerEntry[] {
    const entries = checkoutId === undefined ? this.#entries : this.#entries.filter((e) => e.checkoutId === checkoutId);
    return entries.map((e) => ({ ...e }));
  }
}

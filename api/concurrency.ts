/**
 * A cap on how many of one kind of long-held request this process serves at once — waiting checkouts
 * (`Prefer: wait`), dashboard event streams — so a burst of them cannot hold every socket and every
 * Temporal long poll.
 */
export interface ConcurrencyCap {
  readonly limit: number;
  readonly active: number;
  /** A slot, released by calling what it returns (once is enough; again does nothing); null when all are taken. */
  tryTake(): (() => void) | null;
}

export function concurrencyCap(limit: number): ConcurrencyCap {
  let active = 0;
  return {
    limit,
    get active() {
      return active;
    },
    tryTake() {
      if (active >= limit) return null;
      active += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active -= 1;
      };
    },
  };
}

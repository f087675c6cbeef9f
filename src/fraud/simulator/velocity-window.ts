/** Counts distinct events per key within a sliding time window, e.g. checkouts per customer in the last minute. */

export class SlidingWindowCounter {
  readonly #seen = new Map<string, Map<string, number>>();

  constructor(readonly windowMs: number) {}

  /**
   * Records `eventId` for `key` at `nowMs` and returns how many distinct events the key has in the window,
   * this one included. An event seen again keeps its first time, so a retried request does not count twice.
   */
  record(key: string, eventId: string, nowMs: number): number {
    const events = this.#seen.get(key) ?? new Map<string, number>();
    for (const [id, at] of events) if (at <= nowMs - this.windowMs) events.delete(id);
    if (!events.has(eventId)) events.set(eventId, nowMs);
    this.#seen.set(key, events);
    return events.size;
  }
}

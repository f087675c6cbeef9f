/**
 * How long a completed checkout's outcome event took to reach its two subscribers, read from their own
 * records: email latency is `email_deliveries.sent_at − occurredAt`, analytics latency is
 * `analytics_processed_events.processed_at − occurred_at` (occurred_at is the event's own `occurredAt`).
 * Runs in the stack process, which owns the database (PGlite cannot be opened from a second process).
 */
import { inArray } from 'drizzle-orm';
import { checkoutEventId } from '../src/contracts/events.ts';
import type { Database } from '../src/db/client.ts';
import { analyticsProcessedEvents, emailDeliveries } from '../src/db/schema/index.ts';
import { summarize } from './load.ts';
import type { DeliveryStats, EventDeliveryResult } from './protocol.ts';

/** Large id lists are read in slices to stay far below the database's bind-parameter limit. */
export async function inChunks<T>(ids: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += 1_000) rows.push(...(await read(ids.slice(i, i + 1_000))));
  return rows;
}

function stats(checkoutIds: readonly string[], delivered: ReadonlySet<string>, latencies: readonly number[]): DeliveryStats {
  const missing = checkoutIds.filter((id) => !delivered.has(id));
  return { delivered: delivered.size, missing: missing.length, missingExamples: missing.slice(0, 5), latencyMs: summarize(latencies) };
}

export async function measureEventDelivery(db: Database, checkoutIds: readonly string[]): Promise<EventDeliveryResult> {
  const eventIds = checkoutIds.map((id) => checkoutEventId(id, 'checkout.completed'));
  const analyticsRows = await inChunks(eventIds, (chunk) =>
    db
      .select({ checkoutId: analyticsProcessedEvents.checkoutId, occurredAt: analyticsProcessedEvents.occurredAt, processedAt: analyticsProcessedEvents.processedAt })
      .from(analyticsProcessedEvents)
      .where(inArray(analyticsProcessedEvents.eventId, chunk)),
  );
  const emailRows = await inChunks(eventIds, (chunk) =>
    db
      .select({ checkoutId: emailDeliveries.checkoutId, sentAt: emailDeliveries.sentAt })
      .from(emailDeliveries)
      .where(inArray(emailDeliveries.eventId, chunk)),
  );

  // The event's occurredAt, as the analytics subscriber stored it from the event itself.
  const occurredAt = new Map(analyticsRows.map((row) => [row.checkoutId, row.occurredAt.getTime()]));
  const analyticsLatencies = analyticsRows.map((row) => row.processedAt.getTime() - row.occurredAt.getTime());
  const sent = emailRows.filter((row) => row.sentAt !== null);
  // An email whose analytics row is not in yet has no occurredAt here; the caller waits until both are in.
  const emailLatencies = sent.flatMap((row) => {
    const occurred = occurredAt.get(row.checkoutId);
    return occurred === undefined ? [] : [row.sentAt!.getTime() - occurred];
  });
  return {
    checkouts: checkoutIds.length,
    email: stats(checkoutIds, new Set(sent.map((row) => row.checkoutId)), emailLatencies),
    analytics: stats(checkoutIds, new Set(analyticsRows.map((row) => row.checkoutId)), analyticsLatencies),
  };
}

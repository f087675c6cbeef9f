/**
 * How long a completed checkout's outcome event took to reach its two subscribers: from the moment the
 * stream stored the event (the saga's last step before its workflow completes) to each subscriber's own
 * record — `email_deliveries.sent_at` and `analytics_processed_events.processed_at`. Also reported from the
 * event's `occurredAt` (workflow time when the outcome was decided), which adds the final steps' time.
 * Runs in the stack process, which owns the database (PGlite cannot be opened from a second process).
 */
import { inArray } from 'drizzle-orm';
import type { NatsConnection } from 'nats';
import { checkoutEventId } from '../src/contracts/events.ts';
import type { Database } from '../src/platform/db/client.ts';
import { analyticsProcessedEvents, emailDeliveries } from '../src/platform/db/schema/index.ts';
import { readStream } from '../src/platform/nats/read-stream.ts';
import { summarize } from './load.ts';
import type { DeliveryStats, EventDeliveryResult } from './protocol.ts';

/** When the stream stored each event, by event id (ms since the epoch). */
async function storedAt(nc: NatsConnection, stream: string, eventIds: ReadonlySet<string>): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for await (const msg of readStream(nc, stream)) {
    const id = msg.headers?.get('Nats-Msg-Id');
    if (id && eventIds.has(id)) times.set(id, Math.round(msg.info.timestampNanos / 1e6));
  }
  return times;
}

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

/**
 * The latencies are measured once every record is in, or when `final` says the wait is over: until then
 * only the counts are read, so polling does not read the whole stream again each time.
 */
export async function measureEventDelivery(
  db: Database,
  bus: { nc: NatsConnection; stream: string },
  checkoutIds: readonly string[],
  { final }: { final: boolean },
): Promise<EventDeliveryResult> {
  const eventIds = checkoutIds.map((id) => checkoutEventId(id, 'checkout.completed'));
  const analyticsRows = await inChunks(eventIds, (chunk) =>
    db
      .select({ eventId: analyticsProcessedEvents.eventId, checkoutId: analyticsProcessedEvents.checkoutId, occurredAt: analyticsProcessedEvents.occurredAt, processedAt: analyticsProcessedEvents.processedAt })
      .from(analyticsProcessedEvents)
      .where(inArray(analyticsProcessedEvents.eventId, chunk)),
  );
  const emailRows = await inChunks(eventIds, (chunk) =>
    db
      .select({ eventId: emailDeliveries.eventId, checkoutId: emailDeliveries.checkoutId, sentAt: emailDeliveries.sentAt })
      .from(emailDeliveries)
      .where(inArray(emailDeliveries.eventId, chunk)),
  );
  const sent = emailRows.filter((row) => row.sentAt !== null);
  const complete = sent.length === checkoutIds.length && analyticsRows.length === checkoutIds.length;
  const published = complete || final ? await storedAt(bus.nc, bus.stream, new Set(eventIds)) : new Map<string, number>();
  const since = (eventId: string, at: Date) => {
    const from = published.get(eventId);
    return from === undefined ? [] : [at.getTime() - from];
  };

  // The event's occurredAt, as the analytics subscriber stored it from the event itself.
  const occurredAt = new Map(analyticsRows.map((row) => [row.checkoutId, row.occurredAt.getTime()]));
  return {
    checkouts: checkoutIds.length,
    email: stats(checkoutIds, new Set(sent.map((row) => row.checkoutId)), sent.flatMap((row) => since(row.eventId, row.sentAt!))),
    analytics: stats(checkoutIds, new Set(analyticsRows.map((row) => row.checkoutId)), analyticsRows.flatMap((row) => since(row.eventId, row.processedAt))),
    fromOccurredAt: {
      // An email whose analytics row is not in yet has no occurredAt here; the caller waits until both are in.
      email: summarize(sent.flatMap((row) => (occurredAt.has(row.checkoutId) ? [row.sentAt!.getTime() - occurredAt.get(row.checkoutId)!] : []))),
      analytics: summarize(analyticsRows.map((row) => row.processedAt.getTime() - row.occurredAt.getTime())),
    },
  };
}

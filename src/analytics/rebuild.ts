/**
 * Rebuilds the analytics read model from the event stream: in one transaction, empties the read model and
 * its dedupe records, then replays the stream from its first message through an ephemeral ordered consumer.
 */
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Database } from '../platform/db/client.ts';
import { inBatches } from '../platform/nats/batches.ts';
import { decodeCheckoutEvent } from '../platform/nats/decode-event.ts';
import type { StreamNames } from '../platform/nats/provision.ts';
import { readStream } from '../platform/nats/read-stream.ts';
import { applyAnalyticsEvents, truncateAnalytics } from './model.ts';

export interface RebuildResult {
  /** Stream messages read. */
  messages: number;
  /** Distinct events counted. */
  applied: number;
  /** Messages that are not valid events (the live subscriber dead-letters them too). */
  skipped: number;
}

export async function rebuildAnalytics(deps: { nc: NatsConnection; names: StreamNames; db: Database; logger?: Logger }): Promise<RebuildResult> {
  const result: RebuildResult = { messages: 0, applied: 0, skipped: 0 };
  await deps.db.transaction(async (tx) => {
    // TRUNCATE locks the tables first; only then is the stream's end read, so anything the live subscriber
    // committed before is inside the replay, and anything it commits after waits and then finds its dedupe row.
    await truncateAnalytics(tx);
    for await (const batch of inBatches(readStream(deps.nc, deps.names.stream, { batch: 500 }), 500, 20)) {
      result.messages += batch.length;
      const events = [];
      for (const msg of batch) {
        const decoded = decodeCheckoutEvent(msg.data);
        if (decoded.ok) events.push(decoded.event);
        else result.skipped += 1;
      }
      result.applied += await applyAnalyticsEvents(tx, events);
      deps.logger?.debug({ ...result }, 'rebuild progress');
    }
  });
  deps.logger?.info({ ...result }, 'analytics rebuilt');
  return result;
}

/**
 * The dashboard's view of customer messages: deliveries by channel and provider, fallbacks taken, messages
 * that could not be delivered, and receipt emails — read from the delivery records, across every merchant.
 */
import { count, sql } from 'drizzle-orm';
import { z } from 'zod';
import { NOTIFICATION_CHANNELS } from '../contracts/workflow.ts';
import type { Database } from '../platform/db/client.ts';
import { emailDeliveries, notificationDeliveries } from '../platform/db/schema/subscribers.ts';
import { providerShown } from './deliveries.ts';

const n = z.number().int().nonnegative();

export const notificationSummarySchema = z.object({
  deliveries: z.array(
    z.object({ channel: z.enum(NOTIFICATION_CHANNELS), provider: z.enum(['primary', 'secondary']).nullable(), delivered: n, sending: n, undeliverable: n }),
  ),
  fallbacks: z.array(z.object({ from: z.enum(NOTIFICATION_CHANNELS), to: z.enum(NOTIFICATION_CHANNELS), reason: z.enum(['rejected', 'deadline']), count: n })),
  receipts: z.object({ sent: n, sending: n }),
});
export type NotificationSummary = z.infer<typeof notificationSummarySchema>;

export async function readNotificationSummary(db: Database): Promise<NotificationSummary> {
  const d = notificationDeliveries;
  const [rows, fallbacks, receipts] = await Promise.all([
    db.select({ channel: d.channel, provider: d.provider, status: d.status, n: count() }).from(d).groupBy(d.channel, d.provider, d.status),
    // Few messages fall back: their lists are read and counted here.
    db.select({ fallbacks: d.fallbacks }).from(d).where(sql`jsonb_array_length(${d.fallbacks}) > 0`),
    db.select({ status: emailDeliveries.status, n: count() }).from(emailDeliveries).groupBy(emailDeliveries.status),
  ]);
  const byKey = new Map<string, NotificationSummary['deliveries'][number]>();
  for (const row of rows) {
    const provider = providerShown(row.channel, row.provider);
    const key = `${row.channel}/${provider ?? ''}`;
    const entry = byKey.get(key) ?? { channel: row.channel, provider, delivered: 0, sending: 0, undeliverable: 0 };
    entry[row.status] += Number(row.n);
    byKey.set(key, entry);
  }
  const taken = new Map<string, NotificationSummary['fallbacks'][number]>();
  for (const f of fallbacks.flatMap((row) => row.fallbacks)) {
    const key = `${f.from}>${f.to}:${f.reason}`;
    taken.set(key, { from: f.from, to: f.to, reason: f.reason, count: (taken.get(key)?.count ?? 0) + 1 });
  }
  return notificationSummarySchema.parse({
    deliveries: [...byKey.values()].sort((a, b) => `${a.channel}/${a.provider}`.localeCompare(`${b.channel}/${b.provider}`)),
    fallbacks: [...taken.values()].sort((a, b) => b.count - a.count),
    receipts: {
      sent: Number(receipts.find((r) => r.status === 'sent')?.n ?? 0),
      sending: Number(receipts.find((r) => r.status === 'sending')?.n ?? 0),
    },
  });
}

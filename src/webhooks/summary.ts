/** The dashboard's view of merchants' webhooks: deliveries by status, and the endpoints disabled for failing. */
import { count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../platform/db/client.ts';
import { webhookDeliveries, webhookEndpoints } from '../platform/db/schema/index.ts';

const n = z.number().int().nonnegative();

export const webhookSummarySchema = z.object({
  deliveries: z.object({ pending: n, delivered: n, failed: n }),
  endpoints: z.object({ enabled: n, disabled: n }),
  /** The most recently disabled endpoints, newest first (at most 10). */
  disabled: z.array(z.object({ id: z.string(), merchantId: z.string(), url: z.string(), reason: z.string().nullable(), since: z.string() })),
});
export type WebhookSummary = z.infer<typeof webhookSummarySchema>;

export async function readWebhookSummary(db: Database): Promise<WebhookSummary> {
  const d = webhookDeliveries;
  const e = webhookEndpoints;
  const [deliveries, endpoints, disabled] = await Promise.all([
    db.select({ status: d.status, n: count() }).from(d).groupBy(d.status),
    db.select({ status: e.status, n: count() }).from(e).groupBy(e.status),
    db
      .select({ id: e.id, merchantId: e.merchantId, url: e.url, reason: e.disabledReason, since: e.updatedAt })
      .from(e)
      .where(eq(e.status, 'disabled'))
      .orderBy(desc(e.updatedAt))
      .limit(10),
  ]);
  const countOf = <S extends string>(rows: { status: S; n: number }[], status: S) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return {
    deliveries: { pending: countOf(deliveries, 'pending'), delivered: countOf(deliveries, 'delivered'), failed: countOf(deliveries, 'failed') },
    endpoints: { enabled: countOf(endpoints, 'enabled'), disabled: countOf(endpoints, 'disabled') },
    disabled: disabled.map((row) => ({ ...row, since: row.since.toISOString() })),
  };
}

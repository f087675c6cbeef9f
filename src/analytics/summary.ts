/**
 * The analytics read side: the summary's zod schema (the API documents it) and the read that builds it from
 * the read model the analytics subscriber writes. Its own module, so the API imports no subscriber code.
 */
import { and, asc, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Database } from '../platform/db/client.ts';
import {
  analyticsFailureReasons,
  analyticsFraudScores,
  analyticsOutcomesPerMinute,
  analyticsProcessedEvents,
  analyticsRevenue,
} from '../platform/db/schema/subscribers.ts';

const count = z.number().int().nonnegative();

export const analyticsSummarySchema = z
  .object({
    counts: z.object({ completed: count, declined: count, cancelled: count, failed: count, escalated: count, total: count }),
    revenue: z
      .array(
        z.object({
          currency: z.string().describe('ISO 4217'),
          total: count.describe('captured, in minor units, e.g. cents'),
          refunded: count.describe('refunded of it since'),
          net: z.number().int().describe('total − refunded'),
          orders: count,
        }),
      )
      .describe('completed checkouts only, net of their refunds'),
    declineRate: z.number().min(0).max(1).describe('declined / total, 0 when there is nothing yet'),
    failureReasons: z.array(z.object({ code: z.string(), count })).describe('declines, failures and cancellations by failure code'),
    fraudScores: z
      .array(z.object({ bucket: z.number().int().describe('lower bound; 90 holds 90–100'), count }))
      .describe('all ten buckets of ten points'),
    latencyMs: z
      .object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })
      .describe('checkout start to outcome; null before the first event'),
    perMinute: z
      .array(z.object({ minute: z.string().describe('ISO time of the minute start'), completed: count, declined: count, cancelled: count, failed: count, escalated: count }))
      .describe('the latest 60 minutes that saw an outcome, oldest first'),
  })
  .describe('Checkout outcomes as counted by the analytics subscriber');
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;

const OUTCOMES = ['completed', 'declined', 'cancelled', 'failed', 'escalated'] as const;
type Outcome = (typeof OUTCOMES)[number];
const isOutcome = (value: string): value is Outcome => (OUTCOMES as readonly string[]).includes(value);

/** Whose numbers: one merchant's, or (operators) every merchant's summed. */
export type AnalyticsScope = { merchantId: string } | 'all';

const sum = (column: Parameters<typeof sql>[1]) => sql<number>`sum(${column})`.mapWith(Number);

export async function readAnalyticsSummary(db: Database, scope: AnalyticsScope): Promise<AnalyticsSummary> {
  const m = analyticsOutcomesPerMinute;
  const r = analyticsRevenue;
  const f = analyticsFailureReasons;
  const b = analyticsFraudScores;
  const of = (column: AnyPgColumn): SQL | undefined => (scope === 'all' ? undefined : eq(column, scope.merchantId));
  const [totals, revenue, reasons, buckets, latency, minutes] = await Promise.all([
    db.select({ outcome: m.outcome, n: sum(m.count) }).from(m).where(of(m.merchantId)).groupBy(m.outcome),
    db
      .select({ currency: r.currency, total: sum(r.total), refunded: sum(r.refunded), orders: sum(r.orders) })
      .from(r)
      .where(of(r.merchantId))
      .groupBy(r.currency)
      .orderBy(asc(r.currency)),
    db
      .select({ code: f.code, count: sum(f.count) })
      .from(f)
      .where(of(f.merchantId))
      .groupBy(f.code)
      .orderBy(desc(sum(f.count)), asc(f.code)),
    db.select({ bucket: b.bucket, count: sum(b.count) }).from(b).where(of(b.merchantId)).groupBy(b.bucket),
    db
      .select({
        p50: sql<number | null>`percentile_disc(0.5) within group (order by ${analyticsProcessedEvents.latencyMs})`,
        p95: sql<number | null>`percentile_disc(0.95) within group (order by ${analyticsProcessedEvents.latencyMs})`,
        p99: sql<number | null>`percentile_disc(0.99) within group (order by ${analyticsProcessedEvents.latencyMs})`,
      })
      .from(analyticsProcessedEvents)
      .where(and(isNotNull(analyticsProcessedEvents.latencyMs), of(analyticsProcessedEvents.merchantId))),
    db
      .select({ minute: m.minute, outcome: m.outcome, count: sum(m.count) })
      .from(m)
      .where(
        and(
          of(m.merchantId),
          sql`${m.minute} in (select distinct ${m.minute} from ${m} where ${of(m.merchantId) ?? sql`true`} order by ${m.minute} desc limit 60)`,
        ),
      )
      .groupBy(m.minute, m.outcome)
      .orderBy(asc(m.minute)),
  ]);

  const counts = { completed: 0, declined: 0, cancelled: 0, failed: 0, escalated: 0, total: 0 };
  for (const row of totals) {
    if (isOutcome(row.outcome)) counts[row.outcome] += row.n;
    counts.total += row.n;
  }
  const perMinute = new Map<string, Record<Outcome, number>>();
  for (const row of minutes) {
    const key = row.minute.toISOString();
    const entry = perMinute.get(key) ?? { completed: 0, declined: 0, cancelled: 0, failed: 0, escalated: 0 };
    if (isOutcome(row.outcome)) entry[row.outcome] += row.count;
    perMinute.set(key, entry);
  }
  const byBucket = new Map(buckets.map((b) => [b.bucket, b.count]));
  const toNumber = (v: number | string | null | undefined) => (v == null ? null : Number(v));
  return {
    counts,
    revenue: revenue.map((r) => ({ currency: r.currency, total: Number(r.total), refunded: Number(r.refunded), net: Number(r.total) - Number(r.refunded), orders: r.orders })),
    declineRate: counts.total === 0 ? 0 : counts.declined / counts.total,
    failureReasons: reasons.map((r) => ({ code: r.code, count: r.count })),
    fraudScores: Array.from({ length: 10 }, (_, i) => ({ bucket: i * 10, count: byBucket.get(i * 10) ?? 0 })),
    latencyMs: { p50: toNumber(latency[0]?.p50), p95: toNumber(latency[0]?.p95), p99: toNumber(latency[0]?.p99) },
    perMinute: [...perMinute].map(([minute, c]) => ({ minute, ...c })),
  };
}

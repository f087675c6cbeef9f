/**
 * Folds checkout events into the analytics read model. The dedupe records are written in the same
 * transaction as the counters, so an event is counted exactly once however often it is delivered.
 */
import { sql } from 'drizzle-orm';
import { isRefundEventType, type CheckoutEventData, type ReceivedCheckoutEvent } from '../contracts/events.ts';
import type { Database } from '../platform/db/client.ts';
import {
  analyticsFailureReasons,
  analyticsFraudScores,
  analyticsOutcomesPerMinute,
  analyticsProcessedEvents,
  analyticsRevenue,
} from '../platform/db/schema/subscribers.ts';

/** What analytics reads of an event: ids, times, codes and amounts — never the customer's contact, which it holds no key to open. */
export type AnalyticsEvent = Pick<ReceivedCheckoutEvent, 'id' | 'type' | 'occurredAt' | 'checkoutId'> & {
  data: Pick<CheckoutEventData, 'merchantId' | 'amount' | 'fraud' | 'startedAt' | 'refund'> & { failure: { code: NonNullable<CheckoutEventData['failure']>['code'] } | null };
};

/** A drizzle handle or a transaction on it. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0] | Database;

const INT_MAX = 2_147_483_647;

/** The fraud-score bucket (lower bound) of a score: 0, 10, …, 90 (90 holds 90–100). */
export const fraudBucket = (score: number) => Math.min(90, Math.max(0, Math.floor(score / 10) * 10));

/** Checkout start to outcome in ms, or null when either time cannot be read (or the event is a refund's). */
export function latencyOf(event: AnalyticsEvent): number | null {
  if (isRefundEventType(event.type)) return null;
  const ms = Date.parse(event.occurredAt) - Date.parse(event.data.startedAt);
  return Number.isFinite(ms) ? Math.min(INT_MAX, Math.max(0, Math.round(ms))) : null;
}

const minuteOf = (iso: string) => {
  const d = new Date(iso);
  d.setUTCSeconds(0, 0);
  return d;
};

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

/** The merchant an event counts for; '' for events from before events carried one. */
const merchantOf = (event: AnalyticsEvent) => event.data.merchantId ?? '';

/** Counters are kept per merchant: the map keys are JSON tuples `[merchant, …]`, whatever characters the parts hold. */
const keyOf = (...parts: string[]) => JSON.stringify(parts);
const partsOf = (key: string) => JSON.parse(key) as [string, string, ...string[]];

/** Applies the events not seen before; returns how many were new. Call inside a transaction. */
export async function applyAnalyticsEvents(tx: Tx, events: AnalyticsEvent[]): Promise<number> {
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  if (unique.length === 0) return 0;
  const inserted = await tx
    .insert(analyticsProcessedEvents)
    .values(
      unique.map((e) => ({
        eventId: e.id,
        merchantId: merchantOf(e),
        type: e.type,
        checkoutId: e.checkoutId,
        occurredAt: new Date(e.occurredAt),
        latencyMs: latencyOf(e),
      })),
    )
    .onConflictDoNothing()
    .returning({ eventId: analyticsProcessedEvents.eventId });
  const fresh = new Set(inserted.map((r) => r.eventId));
  const applied = unique.filter((e) => fresh.has(e.id));
  if (applied.length === 0) return 0;

  // Aggregate in memory first: one upsert per key instead of one per event.
  const perMinute = new Map<string, number>();
  const revenue = new Map<string, { total: number; orders: number; refunded: number }>();
  const reasons = new Map<string, number>();
  const buckets = new Map<string, number>();
  for (const e of applied) {
    const merchant = merchantOf(e);
    if (isRefundEventType(e.type)) {
      // A refund is no outcome: it takes money back from the revenue of the checkout it refunds.
      const refund = e.data.refund;
      if (e.type === 'checkout.refunded' && refund) {
        const key = keyOf(merchant, refund.currency);
        const r = revenue.get(key) ?? { total: 0, orders: 0, refunded: 0 };
        revenue.set(key, { ...r, refunded: r.refunded + refund.amount });
      }
      continue;
    }
    const outcome = e.type.slice('checkout.'.length);
    bump(perMinute, keyOf(merchant, minuteOf(e.occurredAt).toISOString(), outcome));
    if (outcome === 'completed') {
      const key = keyOf(merchant, e.data.amount.currency);
      const r = revenue.get(key) ?? { total: 0, orders: 0, refunded: 0 };
      revenue.set(key, { ...r, total: r.total + e.data.amount.total, orders: r.orders + 1 });
    }
    if (e.data.failure) bump(reasons, keyOf(merchant, e.data.failure.code));
    if (e.data.fraud?.score != null) bump(buckets, keyOf(merchant, String(fraudBucket(e.data.fraud.score))));
  }

  // A batch of refunds alone has no outcome to count.
  if (perMinute.size > 0) {
    await tx
      .insert(analyticsOutcomesPerMinute)
      .values(
        [...perMinute].map(([key, count]) => {
          const [merchantId, minute, outcome] = partsOf(key);
          return { merchantId, minute: new Date(minute), outcome: outcome!, count };
        }),
      )
      .onConflictDoUpdate({
        target: [analyticsOutcomesPerMinute.merchantId, analyticsOutcomesPerMinute.minute, analyticsOutcomesPerMinute.outcome],
        set: { count: sql`${analyticsOutcomesPerMinute.count} + excluded.count` },
      });
  }
  if (revenue.size > 0) {
    await tx
      .insert(analyticsRevenue)
      .values([...revenue].map(([key, r]) => ({ merchantId: partsOf(key)[0], currency: partsOf(key)[1], total: r.total, orders: r.orders, refunded: r.refunded })))
      .onConflictDoUpdate({
        target: [analyticsRevenue.merchantId, analyticsRevenue.currency],
        set: {
          total: sql`${analyticsRevenue.total} + excluded.total`,
          orders: sql`${analyticsRevenue.orders} + excluded.orders`,
          refunded: sql`${analyticsRevenue.refunded} + excluded.refunded`,
        },
      });
  }
  if (reasons.size > 0) {
    await tx
      .insert(analyticsFailureReasons)
      .values([...reasons].map(([key, count]) => ({ merchantId: partsOf(key)[0], code: partsOf(key)[1], count })))
      .onConflictDoUpdate({
        target: [analyticsFailureReasons.merchantId, analyticsFailureReasons.code],
        set: { count: sql`${analyticsFailureReasons.count} + excluded.count` },
      });
  }
  if (buckets.size > 0) {
    await tx
      .insert(analyticsFraudScores)
      .values([...buckets].map(([key, count]) => ({ merchantId: partsOf(key)[0], bucket: Number(partsOf(key)[1]), count })))
      .onConflictDoUpdate({
        target: [analyticsFraudScores.merchantId, analyticsFraudScores.bucket],
        set: { count: sql`${analyticsFraudScores.count} + excluded.count` },
      });
  }
  return applied.length;
}

/** Empties the read model and its dedupe records in one statement (so both or neither). */
export async function truncateAnalytics(tx: Tx): Promise<void> {
  await tx.execute(
    sql`truncate table ${analyticsProcessedEvents}, ${analyticsOutcomesPerMinute}, ${analyticsRevenue}, ${analyticsFailureReasons}, ${analyticsFraudScores}`,
  );
}

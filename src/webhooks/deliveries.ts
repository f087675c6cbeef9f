/**
 * The delivery log: one row per event and endpoint, made when the event is received (so an event is never
 * delivered twice to an endpoint under two ids), claimed by a dispatcher for each attempt, and settled by
 * the answer: delivered, retried after a pause of the schedule (with jitter), or failed once the schedule
 * is spent. An endpoint whose attempts keep failing is disabled.
 */
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { ReceivedCheckoutEvent } from '../contracts/events.ts';
import type { Database } from '../platform/db/client.ts';
import { equals, keysetPage, type Page, type PageRequest } from '../platform/db/keyset-page.ts';
import { webhookDeliveries, webhookEndpoints } from '../platform/db/schema/index.ts';
import { derivedId } from '../platform/ids.ts';
import { endpointsReceiving, type EndpointRow } from './endpoints.ts';
import { webhookBody } from './payload.ts';
import type { AttemptResult } from './sender.ts';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type DeliveryStatus = DeliveryRow['status'];

/** The `webhook-id` of an event's delivery to an endpoint: the same however often the event is received. */
export const deliveryIdOf = (eventId: string, endpointId: string) => derivedId('msg', eventId, endpointId);

/** Makes the deliveries of `events` to the endpoints that ask for them; returns how many are new. */
export async function fanOut(db: Database, events: readonly ReceivedCheckoutEvent[], now = new Date()): Promise<number> {
  const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
  const endpointsOf = new Map<string, Promise<EndpointRow[]>>();
  for (const event of events) {
    const merchantId = event.data.merchantId;
    if (!merchantId) continue; // an event from before merchants were carried: nobody to deliver it to
    const key = `${merchantId}\u0000${event.type}`;
    if (!endpointsOf.has(key)) endpointsOf.set(key, endpointsReceiving(db, merchantId, event.type));
    const endpoints = await endpointsOf.get(key)!;
    // Rendered only for an event someone asked for: most merchants have no endpoint.
    const body = endpoints.length > 0 ? webhookBody(event) : '';
    for (const endpoint of endpoints) {
      rows.push({
        id: deliveryIdOf(event.id, endpoint.id),
        endpointId: endpoint.id,
        merchantId,
        eventId: event.id,
        eventType: event.type,
        checkoutId: event.checkoutId,
        body,
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      });
    }
  }
  if (rows.length === 0) return 0;
  const inserted = await db.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning({ id: webhookDeliveries.id });
  return inserted.length;
}

export interface ClaimedDelivery {
  delivery: DeliveryRow;
  endpoint: EndpointRow;
}

/**
 * Claims up to `limit` deliveries that are due, for `leaseMs`: a dispatcher that dies mid-attempt leaves its
 * claim to lapse, and another attempts again (with the same id: the receiver deduplicates).
 */
export async function claimDue(db: Database, limit: number, leaseMs: number, now = new Date()): Promise<ClaimedDelivery[]> {
  const d = webhookDeliveries;
  const due = db
    .select({ id: d.id })
    .from(d)
    .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now), or(isNull(d.claimedUntil), lt(d.claimedUntil, now))))
    .orderBy(asc(d.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(d)
    .set({ claimedUntil: new Date(now.getTime() + leaseMs) })
    .where(inArray(d.id, due))
    .returning();
  if (claimed.length === 0) return [];
  const endpoints = await db.select().from(webhookEndpoints).where(inArray(webhookEndpoints.id, [...new Set(claimed.map((c) => c.endpointId))]));
  return claimed.flatMap((delivery) => {
    const endpoint = endpoints.find((e) => e.id === delivery.endpointId);
    return endpoint ? [{ delivery, endpoint }] : [];
  });
}

/** The pause before retry `attempt` (1-based) of the schedule, with up to 20 % jitter; null when the schedule is spent. */
export function retryPause(scheduleMs: readonly number[], attempt: number, random = Math.random): number | null {
  const base = scheduleMs[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 + 0.2 * (2 * random() - 1)));
}

export interface AttemptPolicy {
  retryScheduleMs: readonly number[];
  disableAfterFailures: number;
}

/**
 * Records an attempt's answer on the delivery and its endpoint, in one transaction. Returns whether this
 * attempt disabled the endpoint (for the operators' log line and metric).
 */
export async function recordAttempt(db: Database, claimed: DeliveryRow, result: AttemptResult, policy: AttemptPolicy, now = new Date()): Promise<{ status: DeliveryStatus; endpointDisabled: boolean }> {
  return db.transaction(async (tx) => {
    const attempts = claimed.attempts + 1;
    const pause = result.ok ? null : retryPause(policy.retryScheduleMs, attempts);
    const status: DeliveryStatus = result.ok ? 'delivered' : pause === null ? 'failed' : 'pending';
    await tx
      .update(webhookDeliveries)
      .set({
        status,
        attempts,
        claimedUntil: null,
        lastStatusCode: result.status,
        lastError: result.ok ? null : result.error,
        nextAttemptAt: pause === null ? now : new Date(now.getTime() + pause),
        deliveredAt: result.ok ? now : null,
      })
      .where(eq(webhookDeliveries.id, claimed.id));
    if (result.ok) {
      await tx.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(eq(webhookEndpoints.id, claimed.endpointId));
      return { status, endpointDisabled: false };
    }
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
      .where(eq(webhookEndpoints.id, claimed.endpointId))
      .returning({ failures: webhookEndpoints.consecutiveFailures, status: webhookEndpoints.status });
    if (!endpoint || endpoint.status !== 'enabled' || endpoint.failures < policy.disableAfterFailures) return { status, endpointDisabled: false };
    await tx
      .update(webhookEndpoints)
      .set({ status: 'disabled', disabledReason: `${endpoint.failures} delivery attempts failed in a row (the last: ${result.error})`, updatedAt: now })
      .where(eq(webhookEndpoints.id, claimed.endpointId));
    return { status, endpointDisabled: true };
  });
}

/** A delivery to a disabled endpoint is not attempted: it fails, and can be redelivered once the endpoint is enabled. */
export async function failUnsent(db: Database, claimed: DeliveryRow, reason: string, now = new Date()): Promise<void> {
  await db.update(webhookDeliveries).set({ status: 'failed', claimedUntil: null, lastError: reason, nextAttemptAt: now }).where(eq(webhookDeliveries.id, claimed.id));
}

export async function listDeliveries(db: Database, endpointId: string, status: DeliveryStatus | undefined, page: PageRequest): Promise<Page<DeliveryRow>> {
  const d = webhookDeliveries;
  return keysetPage(db, { table: d, id: d.id, createdAt: d.createdAt }, { owner: eq(d.endpointId, endpointId), filters: [equals(d.status, status)], page }, (where, orderBy, limit) =>
    db.select().from(d).where(where).orderBy(...orderBy).limit(limit),
  );
}

export async function readDelivery(db: Database, id: string): Promise<DeliveryRow | null> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row ?? null;
}

/** Sends a delivery again now, with its id and body, and a fresh retry schedule. */
export async function redeliver(db: Database, id: string, now = new Date()): Promise<DeliveryRow | null> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, claimedUntil: null, deliveredAt: null })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  return row ?? null;
}

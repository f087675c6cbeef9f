/**
 * The notification delivery records: a claim (one worker at a time, like email deliveries), the progress of
 * each attempt through the delivery rules, and the end — delivered or undeliverable. Reads for the API.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { NotificationChannel } from '../contracts/workflow.ts';
import type { Database } from '../platform/db/client.ts';
import { emailDeliveries, notificationDeliveries, type NotificationFallback } from '../platform/db/schema/subscribers.ts';
import type { DeliveryState } from './delivery-rules.ts';

export type NotificationRecord = typeof notificationDeliveries.$inferSelect;

export type NotificationClaim = { kind: 'claimed'; record: NotificationRecord } | { kind: 'finished'; record: NotificationRecord } | { kind: 'busy'; claimedUntil: Date | null };

const leaseUntil = (leaseMs: number) => sql`now() + make_interval(secs => ${leaseMs / 1000})`;

/** Creates the record at `initial`, or takes over one whose lease ran out; a finished record is left alone. */
export async function claimNotification(
  db: Database,
  input: { eventId: string; checkoutId: string; initial: DeliveryState; leaseMs: number },
): Promise<NotificationClaim> {
  const { initial } = input;
  const [claimed] = await db
    .insert(notificationDeliveries)
    .values({
      eventId: input.eventId,
      checkoutId: input.checkoutId,
      status: 'sending',
      channel: initial.channel,
      provider: initial.provider,
      channelStartedAt: new Date(initial.channelStartedAt),
      claimedUntil: leaseUntil(input.leaseMs),
    })
    .onConflictDoUpdate({
      target: notificationDeliveries.eventId,
      set: { claimedUntil: leaseUntil(input.leaseMs) },
      setWhere: sql`${notificationDeliveries.status} = 'sending' and (${notificationDeliveries.claimedUntil} is null or ${notificationDeliveries.claimedUntil} < now())`,
    })
    .returning();
  if (claimed) return { kind: 'claimed', record: claimed };
  const [row] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, input.eventId));
  if (row && row.status !== 'sending') return { kind: 'finished', record: row };
  return { kind: 'busy', claimedUntil: row?.claimedUntil ?? null };
}

export const stateOf = (record: NotificationRecord): DeliveryState => ({
  channel: record.channel,
  provider: record.provider,
  providerAttempts: record.providerAttempts,
  channelAttempts: record.channelAttempts,
  channelStartedAt: record.channelStartedAt.getTime(),
});

/** Stores where the message stands after an attempt, and renews the lease for the next one. */
export async function recordAttempt(
  db: Database,
  eventId: string,
  update: { state: DeliveryState; error: string | null; fallback?: NotificationFallback; leaseMs: number },
): Promise<void> {
  const { state } = update;
  await db
    .update(notificationDeliveries)
    .set({
      channel: state.channel,
      provider: state.provider,
      providerAttempts: state.providerAttempts,
      channelAttempts: state.channelAttempts,
      channelStartedAt: new Date(state.channelStartedAt),
      attempts: sql`${notificationDeliveries.attempts} + 1`,
      lastError: update.error?.slice(0, 1000) ?? null,
      ...(update.fallback && { fallbacks: sql`${notificationDeliveries.fallbacks} || ${JSON.stringify([update.fallback])}::jsonb` }),
      claimedUntil: leaseUntil(update.leaseMs),
      updatedAt: sql`now()`,
    })
    .where(and(eq(notificationDeliveries.eventId, eventId), eq(notificationDeliveries.status, 'sending')));
}

/** The end of a message: delivered on `channel`/`provider` (counting the attempt that did it), or given up. */
export async function finishNotification(
  db: Database,
  eventId: string,
  end:
    | { status: 'delivered'; channel: NotificationChannel; provider: DeliveryState['provider']; providerMessageId: string | null; countAttempt: boolean }
    | { status: 'undeliverable'; error: string },
): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set(
      end.status === 'delivered'
        ? {
            status: 'delivered',
            channel: end.channel,
            provider: end.provider,
            providerMessageId: end.providerMessageId,
            attempts: end.countAttempt ? sql`${notificationDeliveries.attempts} + 1` : notificationDeliveries.attempts,
            deliveredAt: sql`now()`,
            lastError: null,
            claimedUntil: null,
            updatedAt: sql`now()`,
          }
        : { status: 'undeliverable', lastError: end.error.slice(0, 1000), attempts: sql`${notificationDeliveries.attempts} + 1`, claimedUntil: null, updatedAt: sql`now()` },
    )
    .where(and(eq(notificationDeliveries.eventId, eventId), eq(notificationDeliveries.status, 'sending')));
}

/**
 * Starts an undeliverable message over from its first channel: a replayed dead letter means someone fixed
 * what stood in the way. Returns the record claimed, or null when it was not undeliverable (any more).
 */
export async function restartNotification(db: Database, eventId: string, initial: DeliveryState, leaseMs: number): Promise<NotificationRecord | null> {
  const [row] = await db
    .update(notificationDeliveries)
    .set({
      status: 'sending',
      channel: initial.channel,
      provider: initial.provider,
      providerAttempts: 0,
      channelAttempts: 0,
      channelStartedAt: new Date(initial.channelStartedAt),
      claimedUntil: leaseUntil(leaseMs),
      updatedAt: sql`now()`,
    })
    .where(and(eq(notificationDeliveries.eventId, eventId), eq(notificationDeliveries.status, 'undeliverable')))
    .returning();
  return row ?? null;
}

/** Gives the record back (the subscriber is stopping), so another instance can resume it at once. */
export async function releaseNotification(db: Database, eventId: string): Promise<void> {
  await db.update(notificationDeliveries).set({ claimedUntil: null }).where(and(eq(notificationDeliveries.eventId, eventId), eq(notificationDeliveries.status, 'sending')));
}

/** The provider a reader is shown: none for email, which goes through its one relay. */
export const providerShown = (channel: NotificationChannel, provider: DeliveryState['provider']) => (channel === 'email' ? null : provider);

/** What reached (or is reaching) the customer for one checkout: its notifications and receipt emails, oldest first. */
export interface CheckoutNotification {
  eventId: string;
  channel: NotificationChannel;
  provider: 'primary' | 'secondary' | null;
  status: 'sending' | 'delivered' | 'undeliverable';
  attempts: number;
  fallbacks: NotificationFallback[];
  createdAt: string;
  deliveredAt: string | null;
}

export async function notificationsOfCheckout(db: Database, checkoutId: string): Promise<CheckoutNotification[]> {
  const [messages, emails] = await Promise.all([
    db.select().from(notificationDeliveries).where(eq(notificationDeliveries.checkoutId, checkoutId)).orderBy(asc(notificationDeliveries.createdAt)),
    db.select().from(emailDeliveries).where(eq(emailDeliveries.checkoutId, checkoutId)).orderBy(asc(emailDeliveries.createdAt)),
  ]);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return [
    ...messages.map((m) => ({
      eventId: m.eventId,
      channel: m.channel,
      provider: providerShown(m.channel, m.provider),
      status: m.status,
      attempts: m.attempts,
      fallbacks: m.fallbacks,
      createdAt: m.createdAt.toISOString(),
      deliveredAt: iso(m.deliveredAt),
    })),
    ...emails.map((e) => ({
      eventId: e.eventId,
      channel: 'email' as const,
      provider: null,
      status: e.status === 'sent' ? ('delivered' as const) : ('sending' as const),
      attempts: e.attempts,
      fallbacks: [],
      createdAt: e.createdAt.toISOString(),
      deliveredAt: iso(e.sentAt),
    })),
  ].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

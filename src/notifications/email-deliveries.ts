/**
 * The email delivery records: the one place that decides whether an event's email may be sent. A claim is a
 * single atomic upsert, so two workers (or a redelivery racing the first attempt) never both send.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../platform/db/client.ts';
import { emailDeliveries } from '../platform/db/schema/subscribers.ts';

export type Claim = { kind: 'claimed'; attempts: number } | { kind: 'already_sent' } | { kind: 'busy'; claimedUntil: Date | null };

export interface ClaimInput {
  eventId: string;
  checkoutId: string;
  template: string;
  messageId: string;
  /** How long this attempt owns the record; longer than one SMTP send can take. */
  leaseMs: number;
}

/** Inserts the record as `sending`, or takes over a `sending` record whose lease ran out. */
export async function claimDelivery(db: Database, input: ClaimInput): Promise<Claim> {
  const until = sql`now() + make_interval(secs => ${input.leaseMs / 1000})`;
  const claimed = await db
    .insert(emailDeliveries)
    .values({
      eventId: input.eventId,
      checkoutId: input.checkoutId,
      template: input.template,
      messageId: input.messageId,
      status: 'sending',
      attempts: 1,
      claimedUntil: until,
    })
    .onConflictDoUpdate({
      target: emailDeliveries.eventId,
      set: { attempts: sql`${emailDeliveries.attempts} + 1`, claimedUntil: until },
      setWhere: sql`${emailDeliveries.status} = 'sending' and (${emailDeliveries.claimedUntil} is null or ${emailDeliveries.claimedUntil} < now())`,
    })
    .returning({ attempts: emailDeliveries.attempts });
  if (claimed[0]) return { kind: 'claimed', attempts: claimed[0].attempts };
  const [row] = await db
    .select({ status: emailDeliveries.status, claimedUntil: emailDeliveries.claimedUntil })
    .from(emailDeliveries)
    .where(eq(emailDeliveries.eventId, input.eventId));
  return row?.status === 'sent' ? { kind: 'already_sent' } : { kind: 'busy', claimedUntil: row?.claimedUntil ?? null };
}

/** Records that the SMTP server accepted the email. */
export async function markSent(db: Database, eventId: string): Promise<void> {
  await db
    .update(emailDeliveries)
    .set({ status: 'sent', sentAt: sql`now()`, claimedUntil: null, lastError: null })
    .where(and(eq(emailDeliveries.eventId, eventId), eq(emailDeliveries.status, 'sending')));
}

/** Gives the record back after a failed send, so the next delivery can claim it at once. */
export async function releaseDelivery(db: Database, eventId: string, error: string): Promise<void> {
  await db
    .update(emailDeliveries)
    .set({ claimedUntil: null, lastError: error.slice(0, 1000) })
    .where(and(eq(emailDeliveries.eventId, eventId), eq(emailDeliveries.status, 'sending')));
}

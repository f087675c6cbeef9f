/** Merchants' webhook endpoints: registered, read, rotated, disabled and enabled, deleted. */
import { and, eq, sql } from 'drizzle-orm';
import { CHECKOUT_EVENT_TYPES } from '../contracts/events.ts';
import type { PayloadKeyring } from '../platform/codec/payload-codec.ts';
import type { Database } from '../platform/db/client.ts';
import { equals, keysetPage, type Page, type PageRequest } from '../platform/db/keyset-page.ts';
import { webhookDeliveries, webhookEndpoints } from '../platform/db/schema/index.ts';
import { newId } from '../platform/ids.ts';
import { newSecret, sealSecret } from './secrets.ts';

/** What an endpoint may ask for: event types, or `*` for every one (those added later too). */
export const ENDPOINT_EVENT_TYPES = ['*', ...CHECKOUT_EVENT_TYPES] as const;

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

export interface EndpointView {
  id: string;
  merchantId: string;
  url: string;
  description: string | null;
  enabledEvents: string[];
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export const endpointViewOf = (row: EndpointRow): EndpointView => ({
  id: row.id,
  merchantId: row.merchantId,
  url: row.url,
  description: row.description,
  enabledEvents: row.enabledEvents,
  status: row.status,
  disabledReason: row.disabledReason,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** Registers an endpoint; its secret is returned here once and stored sealed. */
export async function createEndpoint(
  db: Database,
  keyring: PayloadKeyring,
  fields: { merchantId: string; url: string; description: string | null; enabledEvents: string[] },
  now = new Date(),
): Promise<{ endpoint: EndpointView; secret: string }> {
  const id = newId('we');
  const secret = newSecret();
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ id, ...fields, enabledEvents: [...new Set(fields.enabledEvents)], secrets: [sealSecret(secret, id, keyring, now)], status: 'enabled', createdAt: now, updatedAt: now })
    .returning();
  return { endpoint: endpointViewOf(row!), secret };
}

export async function readEndpoint(db: Database, id: string): Promise<EndpointRow | null> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row ?? null;
}

export async function listEndpoints(db: Database, { merchantId }: { merchantId?: string }, page: PageRequest): Promise<Page<EndpointView>> {
  const t = webhookEndpoints;
  return keysetPage(db, { table: t, id: t.id, createdAt: t.createdAt }, { owner: equals(t.merchantId, merchantId), filters: [], page }, async (where, orderBy, limit) =>
    (await db.select().from(t).where(where).orderBy(...orderBy).limit(limit)).map(endpointViewOf),
  );
}

/** Deletes an endpoint and its delivery log; its pending deliveries are never sent. */
export async function deleteEndpoint(db: Database, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id));
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  });
}

/**
 * A new current secret, returned once. The one it replaces keeps signing beside it for `overlapMs`, so a
 * receiver can switch without missing an event; secrets whose overlap has ended are dropped.
 */
export async function rotateSecret(db: Database, keyring: PayloadKeyring, id: string, overlapMs: number, now = new Date()): Promise<string> {
  const secret = newSecret();
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for('update');
    if (!row) throw new Error(`no webhook endpoint ${id}`);
    const until = new Date(now.getTime() + overlapMs);
    const kept = row.secrets
      .map((s) => (s.expiresAt === null ? { ...s, expiresAt: until.toISOString() } : s))
      .filter((s) => Date.parse(s.expiresAt!) > now.getTime());
    await tx
      .update(webhookEndpoints)
      .set({ secrets: [...kept, sealSecret(secret, id, keyring, now)], updatedAt: now })
      .where(eq(webhookEndpoints.id, id));
  });
  return secret;
}

/** Enables an endpoint again (after it was disabled for failing): its failure count starts over. */
export async function enableEndpoint(db: Database, id: string, now = new Date()): Promise<void> {
  await db.update(webhookEndpoints).set({ status: 'enabled', disabledReason: null, consecutiveFailures: 0, updatedAt: now }).where(eq(webhookEndpoints.id, id));
}

/** The enabled endpoints of `merchantId` that ask for events of `type`. */
export async function endpointsReceiving(db: Database, merchantId: string, type: string): Promise<EndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.status, 'enabled'), sql`(${webhookEndpoints.enabledEvents} ? '*' or ${webhookEndpoints.enabledEvents} ? ${type})`));
}

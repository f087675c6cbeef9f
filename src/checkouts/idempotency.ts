/**
 * Stripe-style idempotency keys: a (merchant, key) pair names one request and the object it made (a checkout,
 * a refund) for at least 24 hours; a key used again for another request, on any route, is a mismatch. Concurrent requests with one key race on the primary key; exactly one row wins.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../platform/db/client.ts';
import { idempotencyKeys } from '../platform/db/schema/index.ts';
import { canonicalJson } from '../platform/canonical-json.ts';

/** How long a key keeps naming its checkout. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;


/** The SHA-256 of a request body's canonical JSON. */
export const requestHash = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');

export interface IdempotencyClaim {
  merchantId: string;
  key: string;
  requestHash: string;
  /** The checkout this key names if this request is the first to use it. */
  objectId: string;
  ttlMs?: number;
  now?: Date;
}

export type IdempotencyOutcome =
  /** This request is the first with the key: the row now names `objectId`. */
  | { kind: 'claimed'; objectId: string }
  /** An earlier request with the same key and the same body: answer with its checkout. */
  | { kind: 'replay'; objectId: string }
  /** The key was used with a different body. */
  | { kind: 'mismatch'; objectId: string };

/**
 * Claims an idempotency key, or finds who claimed it. `INSERT … ON CONFLICT DO NOTHING` decides the race;
 * the loser reads the winner's row and compares hashes. An expired row is removed first, so a key can be
 * used again after its window.
 */
export async function claimIdempotencyKey(db: Database, claim: IdempotencyClaim): Promise<IdempotencyOutcome> {
  const now = claim.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (claim.ttlMs ?? IDEMPOTENCY_KEY_TTL_MS));
  const sameKey = and(eq(idempotencyKeys.merchantId, claim.merchantId), eq(idempotencyKeys.key, claim.key));

  await db.delete(idempotencyKeys).where(and(sameKey, lt(idempotencyKeys.expiresAt, now)));
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ merchantId: claim.merchantId, key: claim.key, requestHash: claim.requestHash, objectId: claim.objectId, createdAt: now, expiresAt })
    .onConflictDoNothing()
    .returning({ objectId: idempotencyKeys.objectId });
  if (inserted[0]) return { kind: 'claimed', objectId: inserted[0].objectId };

  const [existing] = await db
    .select({ requestHash: idempotencyKeys.requestHash, objectId: idempotencyKeys.objectId })
    .from(idempotencyKeys)
    .where(sameKey);
  // The row vanished between insert and read only if it expired and was purged meanwhile: claim again.
  if (!existing) return claimIdempotencyKey(db, claim);
  return existing.requestHash === claim.requestHash
    ? { kind: 'replay', objectId: existing.objectId }
    : { kind: 'mismatch', objectId: existing.objectId };
}

/** Deletes keys past their window; returns how many. For a periodic janitor. */
export async function purgeExpiredIdempotencyKeys(db: Database, now = new Date()): Promise<number> {
  const deleted = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).returning({ key: idempotencyKeys.key });
  return deleted.length;
}

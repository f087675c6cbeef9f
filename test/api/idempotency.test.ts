/** Idempotency-Key, Stripe-style: one key and one body name one checkout and one saga, however many retries race. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { canonicalJson } from '../../src/platform/canonical-json.ts';
import { claimIdempotencyKey, IDEMPOTENCY_KEY_TTL_MS, purgeExpiredIdempotencyKeys, requestHash } from '../../src/checkouts/idempotency.ts';
import { idempotencyKeys } from '../../src/platform/db/schema/index.ts';
import { auth, KEYS, merchantIdOf, postCheckout, type TestApp, validBody, withTestApp } from './support/test-app.ts';

let database: DatabaseHandle;
let t: TestApp;
withTestApp((opened) => {
  ({ database, t } = opened);
});

const idOf = async (res: Response) => ((await res.json()) as { id: string }).id;

describe('POST /v1/checkouts with an Idempotency-Key', () => {
  it('starts exactly one saga for 20 concurrent identical requests, and answers all of them with its id', async () => {
    const before = t.checkouts.started.length;
    const responses = await Promise.all(Array.from({ length: 20 }, () => postCheckout(t.app, validBody(), { 'idempotency-key': 'concurrent-1' })));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    const ids = new Set(await Promise.all(responses.map(idOf)));
    expect(ids.size).toBe(1);
    expect(t.checkouts.started.length - before).toBe(1);
    expect(t.checkouts.started.at(-1)!.checkoutId).toBe([...ids][0]);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
  });

  it('lets exactly one of many concurrent requests with one key and different bodies win', async () => {
    const before = t.checkouts.started.length;
    const bodies = Array.from({ length: 10 }, (_, i) => ({ ...validBody(), items: [{ sku: 'SKU-MUG', quantity: i + 1 }] }));
    const responses = await Promise.all(bodies.map((b) => postCheckout(t.app, b, { 'idempotency-key': 'concurrent-2' })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([202, ...Array(9).fill(422)]);
    expect(t.checkouts.started.length - before).toBe(1);
  });

  it('returns the same checkout for a retry, and 422 for the same key with another body', async () => {
    const first = await postCheckout(t.app, validBody(), { 'idempotency-key': 'retry-1' });
    const retry = await postCheckout(t.app, validBody(), { 'idempotency-key': 'retry-1' });
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(await idOf(retry)).toBe(await idOf(first));

    const startsBefore = t.checkouts.startCalls;
    const other = await postCheckout(t.app, { ...validBody(), currency: 'EUR' }, { 'idempotency-key': 'retry-1' });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect(t.checkouts.startCalls).toBe(startsBefore);
  });

  it('treats bodies that differ only in key order or whitespace as the same request', async () => {
    const body = validBody();
    const reordered = { shippingAddress: body.shippingAddress, payment: body.payment, currency: body.currency, items: body.items, customer: body.customer };
    const a = await postCheckout(t.app, body, { 'idempotency-key': 'order-1' });
    const b = await postCheckout(t.app, JSON.stringify(reordered, null, 2), { 'idempotency-key': 'order-1' });
    expect(b.status).toBe(202);
    expect(await idOf(b)).toBe(await idOf(a));
  });

  it('answers a replay of a finished checkout with its current status', async () => {
    const first = await postCheckout(t.app, validBody(), { 'idempotency-key': 'finished-1' });
    const id = await idOf(first);
    t.checkouts.setStatus(id, 'completed');
    const replay = await postCheckout(t.app, validBody(), { 'idempotency-key': 'finished-1' });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ id, status: 'completed' });
  });

  it('scopes keys per merchant: two merchants may use the same key for different checkouts', async () => {
    const a = await postCheckout(t.app, validBody(), { 'idempotency-key': 'shared-key' });
    const b = await postCheckout(t.app, { ...validBody(), currency: 'EUR' }, { 'idempotency-key': 'shared-key', ...auth(KEYS.otherMerchant) });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(await idOf(a)).not.toBe(await idOf(b));
  });

  it("keeps a merchant's keys across API-key rotation: the next key replays what the first one started", async () => {
    const first = await postCheckout(t.app, validBody(), { 'idempotency-key': 'rotation-1' });
    const before = t.checkouts.started.length;
    const replay = await postCheckout(t.app, validBody(), { 'idempotency-key': 'rotation-1', ...auth(KEYS.merchantNext) });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await idOf(replay)).toBe(await idOf(first));
    expect(t.checkouts.started.length).toBe(before);
  });

  it('stores the key with its merchant, request hash, checkout and an expiry of at least 24 hours', async () => {
    const res = await postCheckout(t.app, validBody(), { 'idempotency-key': 'stored-1' });
    const [row] = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'stored-1'));
    expect(row).toMatchObject({ objectId: await idOf(res), requestHash: requestHash(validBody()) });
    expect(row!.merchantId).toBe(merchantIdOf(KEYS.merchant));
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeGreaterThanOrEqual(24 * 3_600_000);
  });

  it('answers a replay from the checkout its key names, without starting anything', async () => {
    const first = await postCheckout(t.app, validBody(), { 'idempotency-key': 'replay-stored-1' });
    const id = await idOf(first);
    t.checkouts.setStatus(id, 'completed');
    const before = t.checkouts.started.length;
    const replay = await postCheckout(t.app, validBody(), { 'idempotency-key': 'replay-stored-1' });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ id, status: 'completed' });
    expect(t.checkouts.started.length).toBe(before);
  });

  it('gives a key used again after its window a checkout of its own, never the old one', async () => {
    const first = await postCheckout(t.app, validBody(), { 'idempotency-key': 'reused-after-window' });
    const oldId = await idOf(first);
    t.checkouts.setStatus(oldId, 'completed');
    // The window passes: the key's row is past its expiry.
    await database.db.update(idempotencyKeys).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(idempotencyKeys.key, 'reused-after-window'));

    const again = await postCheckout(t.app, validBody(), { 'idempotency-key': 'reused-after-window' });
    expect(again.status).toBe(202);
    const newId = await idOf(again);
    expect(newId).not.toBe(oldId);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(t.checkouts.started.at(-1)?.checkoutId).toBe(newId);
    const [row] = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'reused-after-window'));
    expect(row?.objectId).toBe(newId);
  });

  it('makes a new random checkout for each request without a key', async () => {
    const a = await postCheckout(t.app, validBody());
    const b = await postCheckout(t.app, validBody());
    expect(await idOf(a)).not.toBe(await idOf(b));
  });

  it('starts the saga on a replay whose first attempt stored its key but died before starting', async () => {
    const merchantId = merchantIdOf(KEYS.merchant);
    await claimIdempotencyKey(database.db, { merchantId, key: 'crashed-1', requestHash: requestHash(validBody()), objectId: 'chk_crashedbeforestart' });
    const res = await postCheckout(t.app, validBody(), { 'idempotency-key': 'crashed-1' });
    expect(res.status).toBe(202);
    expect(await idOf(res)).toBe('chk_crashedbeforestart');
    expect(t.checkouts.started.map((s) => s.checkoutId)).toContain('chk_crashedbeforestart');
  });
});

describe('the idempotency store', () => {
  it('hashes canonical JSON: key order does not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });

  it('lets a key be used again once it has expired', async () => {
    const longAgo = new Date(Date.now() - IDEMPOTENCY_KEY_TTL_MS - 60_000);
    await claimIdempotencyKey(database.db, { merchantId: 'mer_x', key: 'old', requestHash: 'h1', objectId: 'chk_old', now: longAgo });
    const fresh = await claimIdempotencyKey(database.db, { merchantId: 'mer_x', key: 'old', requestHash: 'h2', objectId: 'chk_new' });
    expect(fresh).toEqual({ kind: 'claimed', objectId: 'chk_new' });
  });

  it('purges expired keys and keeps live ones', async () => {
    const longAgo = new Date(Date.now() - IDEMPOTENCY_KEY_TTL_MS - 60_000);
    await claimIdempotencyKey(database.db, { merchantId: 'mer_y', key: 'stale', requestHash: 'h', objectId: 'chk_s', now: longAgo });
    await claimIdempotencyKey(database.db, { merchantId: 'mer_y', key: 'live', requestHash: 'h', objectId: 'chk_l' });
    expect(await purgeExpiredIdempotencyKeys(database.db)).toBeGreaterThanOrEqual(1);
    const rows = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.merchantId, 'mer_y'));
    expect(rows.map((r) => r.key)).toEqual(['live']);
  });
});

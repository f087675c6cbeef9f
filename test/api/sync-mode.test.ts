/** `Prefer: wait=N`: the synchronous mode holds the request on the saga, answering 200 when final, else 202. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { CheckoutsUnavailableError } from '../../src/checkouts/temporal-checkouts.ts';
import { buildTestApp, openTestDatabase, postCheckout, validBody } from './support/test-app.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
}, 60_000);
afterAll(() => database?.close());

describe('POST /v1/checkouts with Prefer: wait=N', () => {
  it('answers 200 with the checkout object when the saga is final within the wait', async () => {
    const t = buildTestApp(database);
    t.checkouts.settle = (view) => ({ ...view, status: 'completed', step: 'done', orderId: 'ord_1' });
    const res = await postCheckout(t.app, validBody(), { prefer: 'wait=5' });
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('wait=5');
    const body = (await res.json()) as { id: string };
    expect(body).toMatchObject({ status: 'completed', orderId: 'ord_1', amount: { total: 3998, currency: 'USD' } });
    expect(t.checkouts.waits).toEqual([{ checkoutId: body.id, timeoutMs: 5_000 }]);
  });

  it.each(['declined', 'cancelled', 'failed'] as const)('answers 200 for the final status %s', async (status) => {
    const t = buildTestApp(database);
    t.checkouts.settle = (view) => ({ ...view, status });
    expect((await postCheckout(t.app, validBody(), { prefer: 'wait=1' })).status).toBe(200);
  });

  it.each(['pending', 'awaiting_review', 'compensating'] as const)('answers 202 when the wait ends with the saga %s', async (status) => {
    const t = buildTestApp(database);
    t.checkouts.settle = (view) => ({ ...view, status });
    const res = await postCheckout(t.app, validBody(), { prefer: 'wait=2' });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBe('wait=2');
    expect(await res.json()).toMatchObject({ status, links: { self: expect.stringMatching(/\/v1\/checkouts\/chk_/) } });
  });

  it('caps the wait at 30 seconds and says so', async () => {
    const t = buildTestApp(database);
    const res = await postCheckout(t.app, validBody(), { prefer: 'wait=600' });
    expect(res.headers.get('preference-applied')).toBe('wait=30');
    expect(t.checkouts.waits[0]!.timeoutMs).toBe(30_000);
  });

  it('finds wait among other preferences', async () => {
    const t = buildTestApp(database);
    await postCheckout(t.app, validBody(), { prefer: 'respond-async, wait=3' });
    expect(t.checkouts.waits[0]!.timeoutMs).toBe(3_000);
  });

  it.each(['wait=abc', 'wait=0', 'wait=-5', 'respond-async', 'handling=strict'])('stays asynchronous for Prefer: %s', async (prefer) => {
    const t = buildTestApp(database);
    const res = await postCheckout(t.app, validBody(), { prefer });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBeNull();
    expect(t.checkouts.waits).toHaveLength(0);
  });

  it('answers a retried request with a final checkout 200 when it waits', async () => {
    const t = buildTestApp(database);
    const first = await postCheckout(t.app, validBody(), { 'idempotency-key': 'sync-replay' });
    const { id } = (await first.json()) as { id: string };
    t.checkouts.setStatus(id, 'completed');
    const replay = await postCheckout(t.app, validBody(), { 'idempotency-key': 'sync-replay', prefer: 'wait=10' });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ id, status: 'completed' });
    expect(t.checkouts.started).toHaveLength(1);
  });

  it('still answers 202 when the saga started but the wait could not be served', async () => {
    const t = buildTestApp(database);
    t.checkouts.waitForOutcome = async () => {
      throw new CheckoutsUnavailableError('Temporal did not answer in time');
    };
    const res = await postCheckout(t.app, validBody(), { prefer: 'wait=1' });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'pending' });
    expect(t.checkouts.started).toHaveLength(1);
  });

  it('holds at most MAX_WAITING_REQUESTS at once: past it the preference is not applied and the answer is the 202 at once', async () => {
    const t = buildTestApp(database, { api: { rateLimitPerMinute: 1000, publicUrl: 'http://localhost', ops: null, maxWaitingRequests: 1 } });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const settle = t.checkouts.waitForOutcome.bind(t.checkouts);
    t.checkouts.waitForOutcome = async (checkoutId, timeoutMs) => {
      await held;
      return settle(checkoutId, timeoutMs);
    };
    const first = postCheckout(t.app, validBody(), { prefer: 'wait=30' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await postCheckout(t.app, validBody(), { prefer: 'wait=30' });
    expect(second.status).toBe(202);
    expect(second.headers.get('preference-applied')).toBeNull();
    release();
    expect((await first).headers.get('preference-applied')).toBe('wait=30');
    // The slot is back: the next request waits again.
    expect((await postCheckout(t.app, validBody(), { prefer: 'wait=30' })).headers.get('preference-applied')).toBe('wait=30');
  });
});

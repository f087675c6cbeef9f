/**
 * The analytics subscriber against a real nats-server and PostgreSQL: the read model's numbers, each event
 * counted once however often it arrives, and a rebuild from the stream that reaches the same numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats';
import type { CheckoutEvent } from '../../src/contracts/events.ts';
import { ensureCheckoutStream, eventSubjectFor, subjectFor, type StreamNames } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { applyAnalyticsEvents, truncateAnalytics } from '../../src/analytics/model.ts';
import { rebuildAnalytics } from '../../src/analytics/rebuild.ts';
import { analyticsSummarySchema, readAnalyticsSummary } from '../../src/analytics/summary.ts';
import { startAnalyticsSubscriber } from '../../src/analytics/subscriber.ts';
import { sampleEvent, startNatsServer, uniqueStreamNames, waitFor, waitForDeadLetters, type NatsServerHandle } from '../nats/support.ts';
import { openTestDatabase, testLogger, type TestDatabase } from './support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

const FAST = { backoffMs: [200, 400], maxDeliver: 3 };

let server: NatsServerHandle;
let nc: NatsConnection;
let database: TestDatabase;

beforeAll(async () => {
  [server, database] = await Promise.all([startNatsServer(), openTestDatabase()]);
  nc = await server.connect('analytics-test');
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await Promise.all([server?.stop(), database?.drop()]);
});

const at = (iso: string, latencyMs: number) => ({ occurredAt: iso, startedAt: new Date(Date.parse(iso) - latencyMs).toISOString() });

/** A fixed history: 13 outcomes over two minutes, with known revenue, reasons, scores and latencies, and two refunds (one refunded). */
function history(): CheckoutEvent[] {
  const m1 = '2026-01-05T10:00:15.000Z';
  const m2 = '2026-01-05T10:01:40.000Z';
  const make = (type: CheckoutEvent['type'], when: string, latencyMs: number, data: Partial<CheckoutEvent['data']> = {}) => {
    const { occurredAt, startedAt } = at(when, latencyMs);
    return sampleEvent(type, { occurredAt, data: { startedAt, ...data } });
  };
  const usd = (total: number) => ({ amount: { total, currency: 'USD' } });
  return [
    make('checkout.completed', m1, 1_000, { ...usd(1_000), fraud: { score: 5, decision: 'approve' } }),
    make('checkout.completed', m1, 2_000, { ...usd(2_500), fraud: { score: 15, decision: 'approve' } }),
    make('checkout.completed', m1, 3_000, { ...usd(500), fraud: { score: 15, decision: 'approve' } }),
    make('checkout.completed', m2, 4_000, { ...usd(1_999), fraud: { score: 65, decision: 'review' } }),
    make('checkout.completed', m2, 5_000, { ...usd(1), fraud: { score: 0, decision: 'approve' } }),
    make('checkout.completed', m2, 6_000, { amount: { total: 4_200, currency: 'EUR' }, fraud: { score: 99, decision: 'review' } }),
    make('checkout.completed', m2, 7_000, { amount: { total: 800, currency: 'EUR' }, fraud: { score: 100, decision: 'review' } }),
    make('checkout.declined', m1, 8_000, { failure: { code: 'card_declined', message: 'declined' }, fraud: { score: 20, decision: 'approve' } }),
    make('checkout.declined', m2, 9_000, { failure: { code: 'fraud_declined', message: 'risky' }, fraud: { score: 91, decision: 'decline' } }),
    make('checkout.declined', m2, 10_000, { failure: { code: 'card_declined', message: 'declined' }, fraud: null }),
    make('checkout.cancelled', m2, 11_000, { failure: { code: 'cancelled_by_client', message: 'bye' }, fraud: { score: 30, decision: 'approve' } }),
    make('checkout.failed', m1, 12_000, { failure: { code: 'gateway_unavailable', message: 'down' }, fraud: { score: 42, decision: 'approve' } }),
    make('checkout.failed', m2, 13_000, { failure: { code: 'capture_failed', message: 'no' }, fraud: { score: null, decision: 'approve' } }),
    // Refunds are no outcomes: they count in the revenue only, and only once refunded.
    make('checkout.refunded', m2, 60_000, { ...usd(2_500), refund: { id: 're_a', amount: 700, currency: 'USD', status: 'succeeded', reason: null, failureCode: null } }),
    make('checkout.refund_failed', m2, 60_000, { ...usd(1_000), refund: { id: 're_b', amount: 300, currency: 'USD', status: 'failed', reason: null, failureCode: 'refund_refused' } }),
  ];
}

async function setup(): Promise<StreamNames> {
  const names = uniqueStreamNames('stats');
  await ensureCheckoutStream(nc, names, { policy: FAST, consumers: SERVICE_CONSUMERS });
  return names;
}

describe('analytics subscriber', { timeout: 60_000 }, () => {
  it('keeps a read model whose numbers match the events, each counted once, and a rebuild reaches the same numbers', async () => {
    const names = await setup();
    const subscriber = await startAnalyticsSubscriber({ nc, names, db: database.db, logger: testLogger(), policy: FAST, batchSize: 5 });
    const events = history();
    for (const event of events) await publishCheckoutEvent(nc, names, event, testKeyring());
    // The same event stored twice (as if re-published after the duplicate window) and a malformed message.
    await nc.jetstream().publish(eventSubjectFor(names, events[0]!), JSON.stringify(events[0]), { msgID: `${events[0]!.id}:late` });
    await nc.jetstream().publish(subjectFor(names, 'completed', 'email'), '{"id": "evt_broken"');
    await waitForDeadLetters(nc, names, 1);
    const live = await waitFor(async () => {
      const s = await readAnalyticsSummary(database.db, 'all');
      return s.counts.total === 13 && s.revenue.some((r) => r.refunded > 0) ? s : null;
    }, { what: '13 outcomes and a refund counted' });
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
    await subscriber.stop();

    expect(analyticsSummarySchema.parse(live)).toEqual(live);
    expect(live.counts).toEqual({ completed: 7, declined: 3, cancelled: 1, failed: 2, escalated: 0, total: 13 });
    expect(live.revenue).toEqual([
      { currency: 'EUR', total: 5_000, refunded: 0, net: 5_000, orders: 2 },
      { currency: 'USD', total: 6_000, refunded: 700, net: 5_300, orders: 5 },
    ]);
    expect(live.declineRate).toBeCloseTo(3 / 13);
    expect(live.failureReasons).toEqual([
      { code: 'card_declined', count: 2 },
      { code: 'cancelled_by_client', count: 1 },
      { code: 'capture_failed', count: 1 },
      { code: 'fraud_declined', count: 1 },
      { code: 'gateway_unavailable', count: 1 },
    ]);
    expect(Object.fromEntries(live.fraudScores.map((b) => [b.bucket, b.count]))).toEqual({
      0: 2, 10: 2, 20: 1, 30: 1, 40: 1, 50: 0, 60: 1, 70: 0, 80: 0, 90: 3,
    });
    expect(live.latencyMs).toEqual({ p50: 7_000, p95: 13_000, p99: 13_000 });
    expect(live.perMinute).toEqual([
      { minute: '2026-01-05T10:00:00.000Z', completed: 3, declined: 1, cancelled: 0, failed: 1, escalated: 0 },
      { minute: '2026-01-05T10:01:00.000Z', completed: 4, declined: 2, cancelled: 1, failed: 1, escalated: 0 },
    ]);

    // Redelivered events change nothing.
    expect(await database.db.transaction((tx) => applyAnalyticsEvents(tx, events))).toBe(0);
    expect(await readAnalyticsSummary(database.db, 'all')).toEqual(live);

    const result = await rebuildAnalytics({ nc, names, db: database.db });
    expect(result).toEqual({ messages: 17, applied: 15, skipped: 1 });
    expect(await readAnalyticsSummary(database.db, 'all')).toEqual(live);
  });

  it('loses and doubles nothing when a rebuild runs while the live subscriber keeps counting', async () => {
    const names = await setup();
    const subscriber = await startAnalyticsSubscriber({ nc, names, db: database.db, logger: testLogger(), policy: FAST, batchSize: 3 });
    const first = Array.from({ length: 20 }, () => sampleEvent());
    for (const event of first) await publishCheckoutEvent(nc, names, event, testKeyring());
    const more = Array.from({ length: 20 }, (_, i) => sampleEvent(i % 2 ? 'checkout.declined' : 'checkout.completed'));
    // Rebuild (which replaces the whole read model with this stream's history) while new events keep coming.
    const [rebuilt] = await Promise.all([
      rebuildAnalytics({ nc, names, db: database.db }),
      (async () => {
        for (const event of more) {
          await publishCheckoutEvent(nc, names, event, testKeyring());
          await new Promise((r) => setTimeout(r, 5));
        }
      })(),
    ]);
    expect(rebuilt.applied).toBeGreaterThanOrEqual(first.length);
    const summary = await waitFor(async () => {
      const s = await readAnalyticsSummary(database.db, 'all');
      return s.counts.total === 40 ? s : null;
    }, { what: 'all 40 events counted once' });
    await new Promise((r) => setTimeout(r, 300));
    await subscriber.stop();
    expect((await readAnalyticsSummary(database.db, 'all')).counts).toEqual(summary.counts);
    expect(summary.counts).toMatchObject({ completed: 30, declined: 10, total: 40 });
  });

  it('counts per merchant: each merchant reads its own numbers, operators the sum, events without a merchant only the sum', async () => {
    const minute = '2026-02-01T09:00:30.000Z';
    const event = (merchantId: string | undefined, type: CheckoutEvent['type'], data: Partial<CheckoutEvent['data']>) =>
      sampleEvent(type, { occurredAt: minute, data: { merchantId, ...at(minute, 1_000), ...data } });
    const events = [
      event('mer_acme', 'checkout.completed', { amount: { total: 1_000, currency: 'USD' }, fraud: { score: 5, decision: 'approve' } }),
      event('mer_acme', 'checkout.declined', { failure: { code: 'card_declined', message: 'no' }, fraud: { score: 25, decision: 'approve' } }),
      event('mer_globex', 'checkout.completed', { amount: { total: 300, currency: 'USD' }, fraud: { score: 7, decision: 'approve' } }),
      event('mer_globex', 'checkout.completed', { amount: { total: 200, currency: 'EUR' }, fraud: null }),
      event(undefined, 'checkout.completed', { amount: { total: 50, currency: 'USD' }, fraud: null }),
    ];
    await database.db.transaction(async (tx) => {
      await truncateAnalytics(tx);
      await applyAnalyticsEvents(tx, events);
    });

    const acme = await readAnalyticsSummary(database.db, { merchantId: 'mer_acme' });
    expect(acme.counts).toMatchObject({ completed: 1, declined: 1, total: 2 });
    expect(acme.revenue).toEqual([{ currency: 'USD', total: 1_000, refunded: 0, net: 1_000, orders: 1 }]);
    expect(acme.failureReasons).toEqual([{ code: 'card_declined', count: 1 }]);
    expect(acme.fraudScores.filter((b) => b.count > 0)).toEqual([{ bucket: 0, count: 1 }, { bucket: 20, count: 1 }]);
    expect(acme.perMinute).toEqual([{ minute: '2026-02-01T09:00:00.000Z', completed: 1, declined: 1, cancelled: 0, failed: 0, escalated: 0 }]);

    const globex = await readAnalyticsSummary(database.db, { merchantId: 'mer_globex' });
    expect(globex.counts).toMatchObject({ completed: 2, declined: 0, total: 2 });
    expect(globex.revenue).toEqual([{ currency: 'EUR', total: 200, refunded: 0, net: 200, orders: 1 }, { currency: 'USD', total: 300, refunded: 0, net: 300, orders: 1 }]);

    const nobody = await readAnalyticsSummary(database.db, { merchantId: 'mer_nobody' });
    expect(nobody.counts.total).toBe(0);
    expect(nobody.perMinute).toEqual([]);
    expect(nobody.latencyMs).toEqual({ p50: null, p95: null, p99: null });

    const all = await readAnalyticsSummary(database.db, 'all');
    expect(all.counts).toMatchObject({ completed: 4, declined: 1, total: 5 });
    expect(all.revenue).toEqual([{ currency: 'EUR', total: 200, refunded: 0, net: 200, orders: 1 }, { currency: 'USD', total: 1_350, refunded: 0, net: 1_350, orders: 3 }]);
    expect(all.fraudScores.find((b) => b.bucket === 0)).toEqual({ bucket: 0, count: 2 });
    expect(all.perMinute).toEqual([{ minute: '2026-02-01T09:00:00.000Z', completed: 4, declined: 1, cancelled: 0, failed: 0, escalated: 0 }]);
  });
});

/**
 * The dashboard in a real browser (Debian's chromium via playwright-core): an operator signs in, the page
 * loads offline, and after an event is processed by the analytics subscriber its numbers change without a
 * reload. Saves test-results/dashboard.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdaptorServer } from '@hono/node-server';
import type { NatsConnection } from 'nats';
import { chromium, type Browser } from 'playwright-core';
import { concurrencyCap } from '../../api/concurrency.ts';
import { createDashboardRoutes } from '../../api/operations/dashboard.ts';
import { notificationDeliveries } from '../../src/platform/db/schema/subscribers.ts';
import { webhookDeliveries, webhookEndpoints } from '../../src/platform/db/schema/webhooks.ts';
import { TEST_AUTH, KEYS } from '../api/support/test-app.ts';
import type { CheckoutEvent } from '../../src/contracts/events.ts';
import { ensureCheckoutStream, type StreamNames } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { startAnalyticsSubscriber } from '../../src/analytics/subscriber.ts';
import { sampleEvent, startNatsServer, uniqueStreamNames, waitFor, type NatsServerHandle } from '../nats/support.ts';
import { openTestDatabase, testLogger, type TestDatabase } from '../subscribers/support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: NatsServerHandle;
let nc: NatsConnection;
let database: TestDatabase;
let names: StreamNames;
let subscriber: { stop(): Promise<void> };
let http: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  [server, database] = await Promise.all([startNatsServer(), openTestDatabase()]);
  nc = await server.connect('dashboard-test');
  names = uniqueStreamNames('dash');
  await ensureCheckoutStream(nc, names, { policy: { backoffMs: [500], maxDeliver: 3 }, consumers: SERVICE_CONSUMERS });
  subscriber = await startAnalyticsSubscriber({ nc, names, db: database.db, logger: testLogger() });
  http = createAdaptorServer({ fetch: createDashboardRoutes({ db: database.db, auth: TEST_AUTH, secureCookie: false, intervalMs: 250, streams: concurrencyCap(4) }).fetch, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  http?.closeAllConnections();
  await new Promise((r) => (http ? http.close(r) : r(undefined)));
  await subscriber?.stop();
  await nc?.close();
  await Promise.all([server?.stop(), database?.drop()]);
});

/** A believable minute of traffic, so the screenshot shows every chart. */
function traffic(): CheckoutEvent[] {
  const now = Date.now();
  const events: CheckoutEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const type = (['checkout.completed', 'checkout.completed', 'checkout.completed', 'checkout.declined', 'checkout.failed', 'checkout.cancelled'] as const)[i % 6]!;
    const occurred = new Date(now - (i % 8) * 60_000 - i * 500);
    events.push(
      sampleEvent(type, {
        occurredAt: occurred.toISOString(),
        data: {
          startedAt: new Date(occurred.getTime() - 800 - i * 120).toISOString(),
          amount: { total: 1_500 + i * 250, currency: i % 5 === 0 ? 'EUR' : 'USD' },
          fraud: { score: (i * 17) % 101, decision: 'approve' },
          ...(type === 'checkout.declined' ? { failure: { code: i % 4 ? 'card_declined' : 'fraud_declined', message: 'declined' } } : {}),
        },
      }),
    );
  }
  return events;
}

/** Delivery records as the notifications subscriber leaves them: SMS through the secondary, a push refused then emailed, an SMS nobody could take. */
async function someDeliveries() {
  const record = (eventId: string, fields: Partial<typeof notificationDeliveries.$inferInsert>) => ({
    eventId,
    checkoutId: `chk_${eventId}`,
    status: 'delivered' as const,
    channel: 'sms' as const,
    provider: 'primary' as const,
    attempts: 1,
    channelStartedAt: new Date(),
    ...fields,
  });
  const at = new Date().toISOString();
  await database.db.insert(notificationDeliveries).values([
    record('evt_sms1', { provider: 'secondary', attempts: 4 }),
    record('evt_sms2', { provider: 'secondary', attempts: 4 }),
    record('evt_sms3', {}),
    record('evt_push1', { channel: 'email', attempts: 2, fallbacks: [{ from: 'push', to: 'email', reason: 'rejected', at }] }),
    record('evt_sms4', { status: 'undeliverable', attempts: 1 }),
  ]);
  // A merchant's endpoint disabled for failing, with its deliveries: one delivered, one failed, one pending.
  const now = new Date();
  await database.db.insert(webhookEndpoints).values({ id: 'we_dash', merchantId: 'mer_dash', url: 'https://hooks.example.com/dash', enabledEvents: ['*'], secrets: [], status: 'disabled', disabledReason: '50 delivery attempts failed in a row (the last: answered 500)', createdAt: now });
  const delivery = (id: string, status: 'pending' | 'delivered' | 'failed') => ({ id, endpointId: 'we_dash', merchantId: 'mer_dash', eventId: `evt_${id}`, eventType: 'checkout.completed', checkoutId: 'chk_dash', body: '{}', status, nextAttemptAt: now, createdAt: now });
  await database.db.insert(webhookDeliveries).values([delivery('msg_a', 'delivered'), delivery('msg_b', 'failed'), delivery('msg_c', 'pending')]);
}

describe('dashboard in a browser', { timeout: 60_000 }, () => {
  it('loads, then updates its completed count without a reload when an event is processed', async () => {
    await someDeliveries();
    const history = traffic();
    for (const event of history) await publishCheckoutEvent(nc, names, event, testKeyring());
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith(baseUrl) && problems.push(`remote request: ${r.url()}`));

    await page.goto(`${baseUrl}/dashboard`);
    expect(page.url()).toBe(`${baseUrl}/dashboard/login`);
    await page.fill('input[name="key"]', KEYS.operator);
    await Promise.all([page.waitForURL(`${baseUrl}/dashboard`), page.click('button[type="submit"]')]);
    const text = (testId: string) => page.textContent(`[data-testid="${testId}"]`);
    await expect.poll(() => text('count-total'), { timeout: 15_000 }).toBe(String(history.length));
    const before = Number(await text('count-completed'));
    expect(before).toBe(history.filter((e) => e.type === 'checkout.completed').length);
    expect(await page.textContent('#status')).toBe('live');
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    await publishCheckoutEvent(nc, names, sampleEvent('checkout.completed', { data: { fraud: { score: 7, decision: 'approve' } } }), testKeyring());
    await expect.poll(() => text('count-completed'), { timeout: 15_000 }).toBe(String(before + 1));
    expect(await text('count-total')).toBe(String(history.length + 1));
    expect(navigations).toBe(0);
    expect(await page.locator('#per-minute rect').count()).toBeGreaterThan(8);
    expect(await page.locator('#fraud-scores rect').count()).toBe(10);
    expect(await page.locator('#revenue tbody tr').count()).toBe(2);
    const cells = (testId: string) => page.locator(`[data-testid="${testId}"] td`).allTextContents();
    expect(await cells('deliveries-sms-secondary')).toEqual(['sms', 'secondary', '2', '0', '0']);
    expect(await cells('deliveries-sms-primary')).toEqual(['sms', 'primary', '1', '0', '1']);
    expect(await cells('deliveries-email-fallback')).toEqual(['email (fallback)', '—', '1', '0', '0']);
    expect(await page.textContent('#fallbacks')).toContain('push → email (recipient refused): 1');
    expect(await page.locator('#webhooks td').allTextContents()).toEqual(['1', '1', '1', '0', '1']);
    expect(await page.textContent('#disabled-endpoints')).toBe('mer_dash · https://hooks.example.com/dash — 50 delivery attempts failed in a row (the last: answered 500)');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
    expect(problems).toEqual([]);
    await waitFor(() => existsSync('test-results/dashboard.png'), { what: 'the screenshot' });
    await page.close();
  });
});

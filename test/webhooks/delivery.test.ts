/**
 * The webhooks subscriber against a real nats-server and PostgreSQL, delivering to a receiver on this
 * machine: every event once per endpoint under one `webhook-id`, signed, through the receiver's outage;
 * nothing for another merchant or an event type not asked for; a manual redelivery; an endpoint that keeps
 * failing disabled; and a delivery made once however often its event arrives.
 */
import type { NatsConnection } from 'nats';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeyring } from '../../harness/payload-keys.ts';
import { ensureCheckoutStream, eventSubjectFor, type StreamNames } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { sealCheckoutEvent } from '../../src/platform/nats/event-contact.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';
import { createEndpoint, listDeliveries, readEndpoint, redeliver } from '../../src/webhooks/index.ts';
import { startWebhooksSubscriber } from '../../src/webhooks/subscriber.ts';
import { sampleEvent, startNatsServer, uniqueStreamNames, waitFor, type NatsServerHandle } from '../nats/support.ts';
import { openTestDatabase, testLogger, type TestDatabase } from '../subscribers/support.ts';
import { startReceiver } from '../support/webhook-receiver.ts';

const FAST_RETRIES = [50, 50, 50, 50, 50, 50, 50];
const keyring = testKeyring();

let server: NatsServerHandle;
let nc: NatsConnection;
let database: TestDatabase;
beforeAll(async () => {
  [server, database] = await Promise.all([startNatsServer(), openTestDatabase()]);
  nc = await server.connect('webhooks-test');
}, 60_000);
afterAll(async () => {
  await nc?.close();
  await Promise.all([server?.stop(), database?.drop()]);
});

async function world(options: { disableAfterFailures?: number } = {}) {
  const names: StreamNames = uniqueStreamNames('hooks');
  await ensureCheckoutStream(nc, names, { policy: { backoffMs: [200, 400], maxDeliver: 3 }, consumers: SERVICE_CONSUMERS });
  const subscriber = await startWebhooksSubscriber({
    nc,
    names,
    db: database.db,
    keyring,
    logger: testLogger(),
    retryScheduleMs: FAST_RETRIES,
    timeoutMs: 2_000,
    disableAfterFailures: options.disableAfterFailures ?? 50,
    allowPrivateUrls: true,
    pollMs: 20,
  });
  return { names, subscriber };
}

describe('webhook deliveries', { timeout: 60_000 }, () => {
  it("delivers each of a merchant's events once per endpoint, signed, under one webhook-id through the receiver's outage", async () => {
    const { names, subscriber } = await world();
    const receiver = await startReceiver({ failFirst: 5 });
    const merchantId = `mer_${Date.now()}`;
    const { endpoint, secret } = await createEndpoint(database.db, keyring, { merchantId, url: receiver.url, description: null, enabledEvents: ['*'] });
    const refundsOnly = await startReceiver();
    await createEndpoint(database.db, keyring, { merchantId, url: refundsOnly.url, description: null, enabledEvents: ['checkout.refunded'] });

    const events = [
      sampleEvent('checkout.completed', { data: { merchantId, metadata: { order: 'A-1' }, clientReferenceId: 'A-1' } }),
      sampleEvent('checkout.declined', { data: { merchantId } }),
      sampleEvent('checkout.refunded', { data: { merchantId, refund: { id: 're_1', amount: 1000, currency: 'USD', status: 'succeeded', reason: null, failureCode: null } } }),
    ];
    const elsewhere = sampleEvent('checkout.completed', { data: { merchantId: 'mer_someone_else' } });
    for (const event of [...events, elsewhere]) await publishCheckoutEvent(nc, names, event, keyring);

    const accepted = await waitFor(() => (receiver.accepted().length >= 3 ? receiver.accepted() : null), { what: 'three deliveries accepted' });
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
    await subscriber.stop();

    // Five failed attempts, then each event once: the retried attempts carry the ids of the deliveries they retry.
    expect(receiver.requests.filter((r) => r.status === 500)).toHaveLength(5);
    expect(receiver.accepted()).toHaveLength(3);
    const ids = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(3);
    const bodies = accepted.map((r) => JSON.parse(r.body) as { type: string; data: { eventId: string; metadata: object; customerId: string } });
    expect(bodies.map((b) => b.data.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    for (const request of accepted) {
      expect(new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toEqual(JSON.parse(request.body));
      // The customer's contact never leaves: the merchant gets its customer's id.
      expect(request.body).not.toContain('ada@example.com');
    }
    expect(bodies.find((b) => b.type === 'checkout.completed')!.data).toMatchObject({ metadata: { order: 'A-1' }, customerId: 'cus_1' });
    // The refunds-only endpoint got the refund alone.
    expect(refundsOnly.accepted().map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['checkout.refunded']);

    const log = await listDeliveries(database.db, endpoint.id, undefined, { limit: 10 });
    expect(log.data.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(log.data.reduce((sum, d) => sum + d.attempts, 0)).toBe(8);
    await Promise.all([receiver.stop(), refundsOnly.stop()]);
  });

  it('makes one delivery of an event however often it arrives, and redelivers it on request under the same id', async () => {
    const { names, subscriber } = await world();
    const receiver = await startReceiver();
    const merchantId = `mer_${Date.now()}`;
    const { endpoint } = await createEndpoint(database.db, keyring, { merchantId, url: receiver.url, description: null, enabledEvents: ['checkout.completed'] });
    const event = sampleEvent('checkout.completed', { data: { merchantId } });
    await publishCheckoutEvent(nc, names, event, keyring);
    // The same event stored again, as if published after the stream's duplicate window.
    await nc.jetstream().publish(eventSubjectFor(names, event), JSON.stringify(sealCheckoutEvent(event, keyring)), { msgID: `${event.id}:late` });
    await waitFor(() => receiver.accepted().length >= 1, { what: 'the delivery' });
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.accepted()).toHaveLength(1);

    const [delivery] = (await listDeliveries(database.db, endpoint.id, 'delivered', { limit: 10 })).data;
    await redeliver(database.db, delivery!.id);
    await waitFor(() => receiver.accepted().length >= 2, { what: 'the redelivery' });
    expect(receiver.accepted().map((r) => r.headers['webhook-id'])).toEqual([delivery!.id, delivery!.id]);
    expect(receiver.accepted()[1]!.body).toBe(receiver.accepted()[0]!.body);
    await subscriber.stop();
    await receiver.stop();
  });

  it('disables an endpoint whose attempts keep failing, fails its delivery once the schedule is spent, and gives it nothing more', async () => {
    const { names, subscriber } = await world({ disableAfterFailures: 4 });
    const receiver = await startReceiver({ failFirst: Number.POSITIVE_INFINITY });
    const merchantId = `mer_${Date.now()}`;
    const { endpoint } = await createEndpoint(database.db, keyring, { merchantId, url: receiver.url, description: null, enabledEvents: ['*'] });
    await publishCheckoutEvent(nc, names, sampleEvent('checkout.completed', { data: { merchantId } }), keyring);
    const disabled = await waitFor(async () => {
      const row = await readEndpoint(database.db, endpoint.id);
      return row?.status === 'disabled' ? row : null;
    }, { what: 'the endpoint disabled' });
    expect(disabled.disabledReason).toMatch(/^4 delivery attempts failed in a row \(the last: answered 500\)$/);
    await waitFor(async () => (await listDeliveries(database.db, endpoint.id, 'failed', { limit: 10 })).data.length === 1, { what: 'the delivery failed' });
    // A disabled endpoint is given nothing new: the merchant's other endpoint gets the next event, it does not.
    const attempts = receiver.requests.length;
    const healthy = await startReceiver();
    await createEndpoint(database.db, keyring, { merchantId, url: healthy.url, description: null, enabledEvents: ['*'] });
    await publishCheckoutEvent(nc, names, sampleEvent('checkout.declined', { data: { merchantId } }), keyring);
    await waitFor(() => healthy.accepted().length === 1, { what: 'the healthy endpoint served' });
    expect((await listDeliveries(database.db, endpoint.id, undefined, { limit: 10 })).data).toHaveLength(1);
    await healthy.stop();
    expect(receiver.requests.length).toBe(attempts);
    await subscriber.stop();
    await receiver.stop();
  });
});

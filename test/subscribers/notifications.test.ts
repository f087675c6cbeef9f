/**
 * The notifications subscriber against a real nats-server, PostgreSQL, the SMS and push provider simulators
 * and the SMTP sink: failover to the secondary provider, fallback to email past the deadline or at once on a
 * refusal, one message through lost answers and redeliveries, and the delivery records agreeing with the
 * providers' ledgers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { NatsConnection } from 'nats';
import type { CheckoutEvent } from '../../src/contracts/events.ts';
import { notificationDeliveries } from '../../src/platform/db/schema/subscribers.ts';
import type { SmtpSink } from '../../src/notifications/smtp-sink.ts';
import { listDeadLetters, replayDeadLetter } from '../../src/platform/nats/dead-letters.ts';
import { ensureCheckoutStream, eventSubjectFor, type StreamNames } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { notificationsOfCheckout } from '../../src/notifications/deliveries.ts';
import type { MessageRecord, RunningMessagingSimulators } from '../../src/roles/simulators.ts';
import { messageIdFor, startEmailSubscriber } from '../../src/notifications/email-subscriber.ts';
import { notificationKeyFor, startNotificationsSubscriber } from '../../src/notifications/notifications-subscriber.ts';
import { sampleEvent, uniqueStreamNames, waitFor, waitForDeadLetters, type NatsServerHandle } from '../nats/support.ts';
import { startMessagingWorld, testLogger, type TestDatabase } from './support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { contactOpener } from '../../src/platform/nats/event-contact.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

const FAST = { backoffMs: [300, 600], maxDeliver: 4 };
const FROM = 'Durable Checkout <orders@checkout.example>';
const PROVIDER_TIMEOUT_MS = 400;
const DEADLINE_MS = 1_500;

let server: NatsServerHandle;
let nc: NatsConnection;
let database: TestDatabase;
let sink: SmtpSink;
let providers: RunningMessagingSimulators;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, nc, database, sink, providers, stop } = await startMessagingWorld('notifications-test', PROVIDER_TIMEOUT_MS * 3));
}, 60_000);

afterAll(async () => {
  await stop?.();
});

async function setup(): Promise<StreamNames> {
  const names = uniqueStreamNames('notify');
  await ensureCheckoutStream(nc, names, { policy: FAST, consumers: SERVICE_CONSUMERS });
  return names;
}

/** Both subscribers, as the stack runs them: email for email-first customers, notifications for the rest. */
async function startSubscribers(names: StreamNames, extra: Partial<Parameters<typeof startNotificationsSubscriber>[0]> = {}) {
  const notifications = await startNotificationsSubscriber({
    nc,
    names,
    db: database.db,
    providers: providers.urls,
    providerTimeoutMs: PROVIDER_TIMEOUT_MS,
    rules: { baseDelayMs: 20, maxDelayMs: 100, channelDeadlineMs: DEADLINE_MS },
    smtpUrl: sink.smtpUrl,
    from: FROM,
    contacts: contactOpener(testKeyring()),
    logger: testLogger(),
    policy: FAST,
    ...extra,
  });
  const email = await startEmailSubscriber({ nc, names, db: database.db, smtpUrl: sink.smtpUrl, from: FROM, contacts: contactOpener(testKeyring()), logger: testLogger(), policy: FAST });
  return { stop: () => Promise.all([notifications.stop(), email.stop()]) };
}

let n = 0;
/** An outcome event for a customer with their own address and the given channels. */
function eventFor(customer: Partial<CheckoutEvent['data']['customer']>): CheckoutEvent {
  n += 1;
  return sampleEvent('checkout.completed', { data: { customer: { id: `cus_n${n}`, email: `notify${n}.${Date.now()}@example.com`, name: 'Ada', ...customer } } });
}

async function ledger(channel: 'sms' | 'push', provider: 'primary' | 'secondary', to: string): Promise<MessageRecord[]> {
  const response = await fetch(`${providers.urls[channel][provider]}/_ledger?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { entries: MessageRecord[] }).entries;
}

const recordOf = async (eventId: string) => (await database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, eventId)))[0];
const finished = (eventId: string) => waitFor(async () => {
  const record = await recordOf(eventId);
  return record && record.status !== 'sending' ? record : null;
}, { what: `the notification of ${eventId} to finish`, timeoutMs: 20_000 });
const mailsTo = (address: string) => sink.messages().filter((m) => m.to.includes(address));

describe('notifications subscriber', { timeout: 60_000 }, () => {
  it('sends an SMS through the primary provider, and no email', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const event = eventFor({ phone: '+15551230001', notify: ['sms', 'email'] });
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const record = await finished(event.id);
    await new Promise((r) => setTimeout(r, 300));
    await subscribers.stop();

    expect(record).toMatchObject({ status: 'delivered', channel: 'sms', provider: 'primary', attempts: 1, fallbacks: [] });
    const sent = await ledger('sms', 'primary', '+15551230001');
    expect(sent).toEqual([expect.objectContaining({ idempotencyKey: notificationKeyFor(event, 'sms'), text: `Order ${event.data.orderId} confirmed` })]);
    expect(record!.providerMessageId).toBe(sent[0]!.id);
    expect(mailsTo(event.data.customer.email)).toEqual([]);
  });

  it('fails over to the secondary SMS provider when the primary is down', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const event = eventFor({ phone: '+15005550002', notify: ['sms', 'email'] });
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const record = await finished(event.id);
    await subscribers.stop();

    expect(record).toMatchObject({ status: 'delivered', channel: 'sms', provider: 'secondary', attempts: 4, fallbacks: [] });
    expect(await ledger('sms', 'primary', '+15005550002')).toEqual([]);
    expect(await ledger('sms', 'secondary', '+15005550002')).toHaveLength(1);
    expect(mailsTo(event.data.customer.email)).toEqual([]);
  });

  it('sends one email instead when both SMS providers stay down past the deadline', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const event = eventFor({ phone: '+15005550003', notify: ['sms', 'email'] });
    const started = Date.now();
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const record = await finished(event.id);
    await new Promise((r) => setTimeout(r, 300));
    await subscribers.stop();

    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(record).toMatchObject({ status: 'delivered', channel: 'email', providerMessageId: messageIdFor(event) });
    expect(record!.fallbacks).toEqual([{ from: 'sms', to: 'email', reason: 'deadline', at: expect.any(String) }]);
    expect(record!.attempts).toBeGreaterThan(3);
    expect(mailsTo(event.data.customer.email)).toHaveLength(1);
    expect([...(await ledger('sms', 'primary', '+15005550003')), ...(await ledger('sms', 'secondary', '+15005550003'))]).toEqual([]);
  });

  it('falls back to email at once when the push provider refuses the device', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const event = eventFor({ deviceToken: 'push_invalid_device1', notify: ['push', 'email'] });
    const started = Date.now();
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const record = await finished(event.id);
    await subscribers.stop();

    expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
    expect(record).toMatchObject({ status: 'delivered', channel: 'email', attempts: 2 });
    expect(record!.fallbacks).toEqual([{ from: 'push', to: 'email', reason: 'rejected', at: expect.any(String) }]);
    expect(mailsTo(event.data.customer.email)).toHaveLength(1);
  });

  it('sends one message when the provider accepted but its answer was lost, and nothing new on a redelivered event', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const event = eventFor({ phone: '+15005550005', notify: ['sms', 'email'] });
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const record = await finished(event.id);
    expect(record).toMatchObject({ status: 'delivered', channel: 'sms', provider: 'primary' });
    expect(record!.attempts).toBeGreaterThanOrEqual(2);

    // The same event again (as if re-published after the duplicate window): nothing more goes out.
    await nc.jetstream().publish(eventSubjectFor(names, event), JSON.stringify(event), { msgID: `${event.id}:again` });
    await new Promise((r) => setTimeout(r, 1_000));
    await subscribers.stop();
    const sent = [...(await ledger('sms', 'primary', '+15005550005')), ...(await ledger('sms', 'secondary', '+15005550005'))];
    expect(sent).toHaveLength(1);
    expect(record!.providerMessageId).toBe(sent[0]!.id);
    expect(mailsTo(event.data.customer.email)).toEqual([]);
    expect((await recordOf(event.id))!.attempts).toBe(record!.attempts);
  });

  it('sends one SMS when the provider that lost its answer cannot be asked for a while: it never fails over on "unknown"', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const event = eventFor({ phone: '+15005550006', notify: ['sms', 'email'] });
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const record = await finished(event.id);
    await subscribers.stop();

    expect(record).toMatchObject({ status: 'delivered', channel: 'sms', provider: 'primary' });
    expect(await ledger('sms', 'primary', '+15005550006')).toHaveLength(1);
    expect(await ledger('sms', 'secondary', '+15005550006')).toEqual([]);
    expect(mailsTo(event.data.customer.email)).toEqual([]);
  });

  it('sends one SMS when the subscriber dies after the provider accepted and before it recorded that', async () => {
    const names = await setup();
    const doomed = await server.connect('notifications-doomed');
    let crashed = false;
    const first = await startSubscribers(names, {
      nc: doomed,
      leaseMs: 500,
      beforeRecord: async (answer) => {
        if (answer.result !== 'accepted' || crashed) return;
        crashed = true;
        await doomed.close();
        throw new Error('the process vanished');
      },
    });
    const event = eventFor({ phone: '+15551230077', notify: ['sms', 'email'] });
    await publishCheckoutEvent(nc, names, event, testKeyring());
    await waitFor(() => crashed, { what: 'the crash' });
    await first.stop();
    expect(await ledger('sms', 'primary', '+15551230077')).toHaveLength(1);
    expect(await recordOf(event.id)).toMatchObject({ status: 'sending' });

    // The redelivery reaches a new instance once the lease is over; the provider answers the same key with the same message.
    const second = await startSubscribers(names);
    const record = await finished(event.id);
    await second.stop();
    const sent = await ledger('sms', 'primary', '+15551230077');
    expect(sent).toHaveLength(1);
    expect(record).toMatchObject({ status: 'delivered', channel: 'sms', provider: 'primary', providerMessageId: sent[0]!.id });
    expect(mailsTo(event.data.customer.email)).toEqual([]);
  });

  it('dead-letters a message no allowed channel can carry, naming why but not the number', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const event = eventFor({ phone: '+15005550001', notify: ['sms'] });
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const [letter] = await waitForDeadLetters(nc, names, 1, 20_000);
    await subscribers.stop();

    expect(letter).toMatchObject({ consumer: 'notifications' });
    expect(letter!.reason).toMatch(/undeliverable: no channel left: sms refused the recipient/);
    expect(letter!.reason).not.toContain('+15005550001');
    expect(await recordOf(event.id)).toMatchObject({ status: 'undeliverable', channel: 'sms' });
  });

  it('delivers a replayed dead letter once what stood in the way is fixed, starting from the first channel', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const event = eventFor({ phone: '+15005550001', notify: ['sms', 'email'] });
    sink.rejectRecipients(new RegExp(`^${event.data.customer.email.replace(/[.+]/g, '\\$&')}$`), 550);
    try {
      await publishCheckoutEvent(nc, names, event, testKeyring());
      const [letter] = await waitForDeadLetters(nc, names, 1, 20_000);
      expect(letter!.reason).toMatch(/no channel left: email refused the recipient/);
      expect(letter!.reason).not.toContain(event.data.customer.email);
      expect(await recordOf(event.id)).toMatchObject({ status: 'undeliverable', channel: 'email' });
    } finally {
      sink.rejectRecipients(null);
    }
    const [letter] = await listDeadLetters({ nc, names });
    await replayDeadLetter({ nc, names }, letter!.dlqSeq);
    await waitFor(async () => (await recordOf(event.id))?.status === 'delivered', { what: 'the replayed notification delivered', timeoutMs: 20_000 });
    await subscribers.stop();
    const record = await recordOf(event.id);
    expect(record).toMatchObject({ status: 'delivered', channel: 'email' });
    expect(record!.fallbacks.map((f) => `${f.from}>${f.to}:${f.reason}`)).toEqual(['sms>email:rejected', 'sms>email:rejected']);
    expect(mailsTo(event.data.customer.email)).toHaveLength(1);
  });

  it('leaves email-first customers to the email subscriber, and lists every message of a checkout', async () => {
    const names = await setup();
    const subscribers = await startSubscribers(names);
    const plain = eventFor({});
    const flaky = eventFor({ deviceToken: 'push_flaky_device2', notify: ['push'] });
    await publishCheckoutEvent(nc, names, plain, testKeyring());
    await publishCheckoutEvent(nc, names, flaky, testKeyring());
    await waitFor(() => mailsTo(plain.data.customer.email).length === 1, { what: 'the receipt email' });
    const record = await finished(flaky.id);
    await subscribers.stop();

    expect(await recordOf(plain.id)).toBeUndefined();
    // Two 503s, then the primary delivers on its third try.
    expect(record).toMatchObject({ status: 'delivered', channel: 'push', provider: 'primary', attempts: 3 });
    expect(await notificationsOfCheckout(database.db, flaky.checkoutId)).toEqual([
      expect.objectContaining({ eventId: flaky.id, channel: 'push', provider: 'primary', status: 'delivered', attempts: 3, fallbacks: [] }),
    ]);
    expect(await notificationsOfCheckout(database.db, plain.checkoutId)).toEqual([
      expect.objectContaining({ eventId: plain.id, channel: 'email', provider: null, status: 'delivered', attempts: 1 }),
    ]);
  });
});

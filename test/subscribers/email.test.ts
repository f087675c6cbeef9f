/**
 * The email subscriber against a real nats-server, PostgreSQL and the SMTP sink: one email per event through
 * redeliveries, crashes before the ack, competing instances, SMTP outages, refusals and replays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import type { NatsConnection } from 'nats';
import { startSmtpSink, type SmtpSink } from '../../src/notifications/smtp-sink.ts';
import { emailDeliveries } from '../../src/platform/db/schema/subscribers.ts';
import { listDeadLetters, replayDeadLetter } from '../../src/platform/nats/dead-letters.ts';
import { ensureCheckoutStream, type StreamNames } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { readAnalyticsSummary } from '../../src/analytics/summary.ts';
import { startAnalyticsSubscriber } from '../../src/analytics/subscriber.ts';
import { messageIdFor, startEmailSubscriber, type EmailSubscriberOptions } from '../../src/notifications/email-subscriber.ts';
import { freePort, sampleEvent, startNatsServer, uniqueStreamNames, waitFor, waitForDeadLetters, type NatsServerHandle } from '../nats/support.ts';
import { openTestDatabase, testLogger, type TestDatabase } from './support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { contactOpener } from '../../src/platform/nats/event-contact.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

const FAST = { backoffMs: [150, 300], maxDeliver: 4 };
const FROM = 'Durable Checkout <orders@checkout.example>';

let server: NatsServerHandle;
let nc: NatsConnection;
let database: TestDatabase;
let sink: SmtpSink;

beforeAll(async () => {
  [server, database, sink] = await Promise.all([
    startNatsServer(),
    openTestDatabase(),
    startSmtpSink({ host: '127.0.0.1', smtpPort: 0, mailboxPort: 0 }),
  ]);
  nc = await server.connect('email-test');
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await Promise.all([server?.stop(), database?.drop(), sink?.close()]);
});

async function setup(): Promise<StreamNames> {
  const names = uniqueStreamNames('mail');
  await ensureCheckoutStream(nc, names, { policy: FAST, consumers: SERVICE_CONSUMERS });
  return names;
}

const start = (names: StreamNames, extra: Partial<EmailSubscriberOptions> = {}) =>
  startEmailSubscriber({ nc, names, db: database.db, smtpUrl: sink.smtpUrl, from: FROM, contacts: contactOpener(testKeyring()), logger: testLogger(), policy: FAST, ...extra });

const mailFor = (eventId: string) => sink.messages().filter((m) => m.messageId === messageIdFor({ id: eventId }));

const deliveryOf = async (eventId: string) =>
  (await database.db.select().from(emailDeliveries).where(eq(emailDeliveries.eventId, eventId)))[0];

describe('email subscriber', { timeout: 30_000 }, () => {
  it('sends one email per outcome, rendered for that outcome', async () => {
    const names = await setup();
    const subscriber = await start(names);
    const events = (['checkout.completed', 'checkout.declined', 'checkout.cancelled', 'checkout.failed'] as const).map((t) => sampleEvent(t));
    for (const event of events) await publishCheckoutEvent(nc, names, event, testKeyring());
    await waitFor(() => events.every((e) => mailFor(e.id).length === 1), { what: 'four emails' });
    await subscriber.stop();

    const [completed, declined, cancelled, failed] = events.map((e) => mailFor(e.id)[0]!);
    expect(completed).toMatchObject({ to: ['ada@example.com'], subject: `Order ${events[0]!.data.orderId} confirmed` });
    expect(completed!.text).toContain('$39.98');
    expect(completed!.html).toContain('<table');
    expect(declined!.subject).toBe('Your order could not be accepted');
    expect(declined!.text).toContain('Your card was declined by its issuer.');
    expect(cancelled!.subject).toBe('Your checkout was cancelled');
    expect(failed!.subject).toBe('We could not complete your order');
    const rows = await database.db.select().from(emailDeliveries).where(inArray(emailDeliveries.eventId, events.map((e) => e.id)));
    expect(rows.map((r) => [r.template, r.status, r.attempts]).sort()).toEqual([
      ['cancellation', 'sent', 1],
      ['decline_notice', 'sent', 1],
      ['failure_notice', 'sent', 1],
      ['order_confirmation', 'sent', 1],
    ]);
  });

  it('sends ONE email when the subscriber dies after sending and before its ack', async () => {
    const names = await setup();
    const event = sampleEvent();
    const doomed = await server.connect('doomed-email-instance');
    let crashed = false;
    const first = await start(names, {
      nc: doomed,
      // The crash: the email is sent and recorded, then the process vanishes before acking.
      beforeAck: async () => {
        crashed = true;
        await doomed.close();
      },
    });
    await publishCheckoutEvent(nc, names, event, testKeyring());
    await waitFor(() => crashed, { what: 'the crash' });
    await first.stop();
    expect(mailFor(event.id)).toHaveLength(1);

    // The redelivery reaches a new instance, which finds the delivery record `sent` and only acknowledges it.
    const acked: { id: string; deliveries: number }[] = [];
    const second = await start(names, { beforeAck: async (events) => void acked.push(...events.map((e) => ({ id: e.event.id, deliveries: e.deliveries }))) });
    await waitFor(() => acked.length === 1, { what: 'the redelivery to be acked' });
    expect(acked[0]).toEqual({ id: event.id, deliveries: 2 });
    await second.stop();
    expect(mailFor(event.id)).toHaveLength(1);
    expect(await deliveryOf(event.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('shares one durable consumer between competing instances without handling an event twice', async () => {
    // A roomy ack deadline: this test is about sharing, not redelivery, and a busy CI machine can stall a process.
    const policy = { backoffMs: [3_000], maxDeliver: 3 };
    const names = uniqueStreamNames('mail');
    await ensureCheckoutStream(nc, names, { policy, consumers: SERVICE_CONSUMERS });
    const handledBy = new Map<string, string[]>();
    const record = (instance: string) => async (events: { event: { id: string } }[]) => {
      for (const { event } of events) handledBy.set(event.id, [...(handledBy.get(event.id) ?? []), instance]);
    };
    const one = await start(names, { policy, concurrency: 2, beforeAck: record('one') });
    const two = await start(names, { policy, concurrency: 2, beforeAck: record('two') });
    const events = Array.from({ length: 30 }, (_, i) => sampleEvent(i % 3 === 0 ? 'checkout.declined' : 'checkout.completed'));
    await Promise.all(events.map((e) => publishCheckoutEvent(nc, names, e, testKeyring())));
    await waitFor(() => handledBy.size === 30, { what: 'all events handled' });
    await Promise.all([one.stop(), two.stop()]);

    expect([...handledBy.values()].every((by) => by.length === 1)).toBe(true);
    const instances = [...handledBy.values()].map((by) => by[0]);
    expect(instances.filter((i) => i === 'one').length).toBeGreaterThan(0);
    expect(instances.filter((i) => i === 'two').length).toBeGreaterThan(0);
    expect(events.every((e) => mailFor(e.id).length === 1)).toBe(true);
  });

  it('retries with backoff while SMTP is down and sends once it is back', async () => {
    const names = await setup();
    const port = await freePort();
    const subscriber = await start(names, { smtpUrl: `smtp://127.0.0.1:${port}`, policy: { backoffMs: [150, 300], maxDeliver: 20 } });
    const event = sampleEvent();
    await publishCheckoutEvent(nc, names, event, testKeyring());
    await waitFor(async () => (await deliveryOf(event.id))?.lastError, { what: 'a failed attempt' });
    const late = await startSmtpSink({ host: '127.0.0.1', smtpPort: port, mailboxPort: 0 });
    try {
      await waitFor(async () => (await deliveryOf(event.id))?.status === 'sent', { what: 'the email after the outage' });
      await subscriber.stop();
      expect(late.messages().map((m) => m.messageId)).toEqual([messageIdFor(event)]);
      expect((await deliveryOf(event.id))!.attempts).toBeGreaterThan(1);
    } finally {
      await late.close();
    }
  });

  it('dead-letters after its bounded deliveries when SMTP stays down, while the DLQ says why', async () => {
    const names = await setup();
    const port = await freePort();
    const subscriber = await start(names, { smtpUrl: `smtp://127.0.0.1:${port}` });
    const event = sampleEvent();
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const [letter] = await waitForDeadLetters(nc, names, 1);
    await subscriber.stop();
    expect(letter).toMatchObject({ consumer: 'email', eventId: event.id, deliveries: FAST.maxDeliver });
    expect(letter!.reason).toMatch(/^SMTP unavailable: .*ECONNREFUSED.*\(gave up after 4 deliveries\)$/);
  });

  it('dead-letters a refused recipient at once; after the fix a replay sends exactly one email and analytics counts it once', async () => {
    const names = await setup();
    const event = sampleEvent('checkout.completed', { data: { customer: { id: 'cus_9', email: 'grace@blocked.example' } } });
    sink.rejectRecipients(/@blocked\.example$/, 550);
    const email = await start(names);
    const analytics = await startAnalyticsSubscriber({ nc, names, db: database.db, logger: testLogger(), policy: FAST });
    try {
      await publishCheckoutEvent(nc, names, event, testKeyring());
      const [letter] = await waitForDeadLetters(nc, names, 1);
      expect(letter).toMatchObject({ consumer: 'email', deliveries: 1 });
      expect(letter!.reason).toMatch(/^SMTP refused the email \(550\)/);
      // The refusal named the recipient; the dead letter and the delivery record keep only its mask.
      expect(letter!.reason).not.toContain('grace@blocked.example');
      expect(letter!.reason).toContain('g***@blocked.example');
      expect((await deliveryOf(event.id))?.lastError).not.toContain('grace@blocked.example');
      const before = (await readAnalyticsSummary(database.db, 'all')).counts.completed;

      sink.rejectRecipients(null);
      await replayDeadLetter({ nc, names }, letter!.dlqSeq);
      await waitFor(() => mailFor(event.id).length === 1, { what: 'the replayed email' });
      await new Promise((r) => setTimeout(r, 500));
      expect(mailFor(event.id)).toHaveLength(1);
      expect(await deliveryOf(event.id)).toMatchObject({ status: 'sent' });
      // The replay went to the email consumer's retry subject: analytics never saw it a second time.
      expect((await readAnalyticsSummary(database.db, 'all')).counts.completed).toBe(before);
      expect(await listDeadLetters({ nc, names })).toEqual([]);
    } finally {
      sink.rejectRecipients(null);
      await Promise.all([email.stop(), analytics.stop()]);
    }
  });
});

describe('personal data on the stream', { timeout: 30_000 }, () => {
  const secrets = { email: 'grace@navy.example', name: 'Grace Hopper', phone: '+15557654321', deviceToken: 'device-token-of-grace' };
  const failureText = 'gateway http://10.1.2.3:4011 said ECONNREFUSED for tok_visa';
  const storedText = async (names: StreamNames, seq: number) => new TextDecoder().decode((await (await nc.jetstreamManager()).streams.getMessage(names.stream, { seq })).data);

  it('stores ids, codes and amounts in clear and the contact sealed; the email still reaches the customer', async () => {
    const names = await setup();
    const event = sampleEvent('checkout.failed', { data: { customer: { id: 'cus_grace', ...secrets }, failure: { code: 'gateway_unavailable', message: failureText } } });
    const { seq } = await publishCheckoutEvent(nc, names, event, testKeyring());
    const stored = await storedText(names, seq);
    for (const value of [...Object.values(secrets), failureText]) expect(stored).not.toContain(value);
    expect(JSON.parse(stored)).toMatchObject({ id: event.id, version: 2, data: { customer: { id: 'cus_grace' }, failure: { code: 'gateway_unavailable' }, amount: event.data.amount } });
    const subscriber = await start(names);
    await waitFor(() => mailFor(event.id).length === 1, { what: 'the email' });
    await subscriber.stop();
    expect(mailFor(event.id)[0]).toMatchObject({ to: [secrets.email] });
  });

  it('sends nothing for an event forged without the keys: a contact copied from another event does not open', async () => {
    const names = await setup();
    const genuine = sampleEvent();
    const { seq } = await publishCheckoutEvent(nc, names, genuine, testKeyring());
    // Someone who can publish on the stream, but holds no payload key, re-addresses a stored event.
    const forged = { ...JSON.parse(await storedText(names, seq)), id: 'evt_forged_completed', checkoutId: 'chk_forged' };
    await nc.jetstream().publish(`${names.subjectPrefix}.completed`, JSON.stringify(forged), { msgID: forged.id });
    const subscriber = await start(names);
    const [letter] = await waitForDeadLetters(nc, names, 1);
    await subscriber.stop();
    expect(letter).toMatchObject({ eventId: 'evt_forged_completed', consumer: 'email' });
    expect(letter!.reason).toMatch(/its contact does not open .*copied from another event/);
    expect(mailFor('evt_forged_completed')).toEqual([]);
    expect(mailFor(genuine.id)).toHaveLength(1);
  });

  it('acts on an event with its contact in clear (published before contacts were sealed) only when told to', async () => {
    const names = await setup();
    const legacy = sampleEvent();
    await nc.jetstream().publish(`${names.subjectPrefix}.completed`, JSON.stringify(legacy), { msgID: legacy.id });
    const refusing = await start(names);
    const [letter] = await waitForDeadLetters(nc, names, 1);
    await refusing.stop();
    expect(letter!.reason).toMatch(/contact in clear .*EVENT_CONTACTS_IN_CLEAR=accept/);
    expect(mailFor(legacy.id)).toEqual([]);

    const again = sampleEvent();
    await nc.jetstream().publish(`${names.subjectPrefix}.completed`, JSON.stringify(again), { msgID: again.id });
    const accepting = await start(names, { contacts: contactOpener(testKeyring(), 'accept') });
    await waitFor(() => mailFor(again.id).length === 1, { what: 'the email of the clear event' });
    await accepting.stop();
  });
});


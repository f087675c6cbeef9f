/**
 * The subjects events are published on, against a real nats-server, PostgreSQL, the SMS and push provider
 * simulators and the SMTP sink: the server sends the email consumer only email-first events and the
 * notifications consumer only SMS- and push-first ones; events stored under the type-only subjects of
 * earlier releases (and published on them during an upgrade's rollout) still reach every consumer once its
 * filter changes; a retried publish is stored once whichever layout each attempt used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy, DeliverPolicy, nanos, type NatsConnection } from 'nats';
import { type CheckoutEvent } from '../../src/contracts/events.ts';
import { ANALYTICS_CONSUMER } from '../../src/analytics/subscriber.ts';
import { EMAIL_CONSUMER, EMAIL_EVENTS } from '../../src/notifications/email-subscriber.ts';
import { NOTIFICATIONS_CONSUMER, NOTIFICATIONS_EVENTS } from '../../src/notifications/notifications-subscriber.ts';
import type { SmtpSink } from '../../src/notifications/smtp-sink.ts';
import type { ConsumedEvent } from '../../src/platform/nats/consume-loop.ts';
import { consumerFilterSubjects, ensureCheckoutStream, type StreamNames } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import type { MessageRecord, RunningMessagingSimulators } from '../../src/roles/simulators.ts';
import { startEmailSubscriber } from '../../src/notifications/email-subscriber.ts';
import { startNotificationsSubscriber } from '../../src/notifications/notifications-subscriber.ts';
import { sampleEvent, uniqueStreamNames, waitFor } from '../nats/support.ts';
import { startMessagingWorld, testLogger, type TestDatabase } from './support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { contactOpener } from '../../src/platform/nats/event-contact.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

const FAST = { backoffMs: [300, 600], maxDeliver: 4 };
const FROM = 'Durable Checkout <orders@checkout.example>';

let nc: NatsConnection;
let database: TestDatabase;
let sink: SmtpSink;
let providers: RunningMessagingSimulators;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ nc, database, sink, providers, stop } = await startMessagingWorld('event-subjects-test', 1_000));
}, 60_000);

afterAll(async () => {
  await stop?.();
});

let n = 0;
function eventFor(customer: Partial<CheckoutEvent['data']['customer']>): CheckoutEvent {
  n += 1;
  return sampleEvent('checkout.completed', { data: { customer: { id: `cus_s${n}`, email: `subjects${n}.${Date.now()}@example.com`, name: 'Ada', ...customer } } });
}

/** Both subscribers, each recording the events its consumer was sent (handled or skipped) before acking them. */
async function startSubscribers(names: StreamNames) {
  const seen = { email: [] as string[], notifications: [] as string[] };
  const spy = (into: string[]) => async (events: ConsumedEvent[]) => void into.push(...events.map((e) => e.event.id));
  const notifications = await startNotificationsSubscriber({
    nc,
    names,
    db: database.db,
    providers: providers.urls,
    providerTimeoutMs: 400,
    smtpUrl: sink.smtpUrl,
    from: FROM,
    contacts: contactOpener(testKeyring()),
    logger: testLogger(),
    policy: FAST,
    beforeAck: spy(seen.notifications),
  });
  const email = await startEmailSubscriber({ nc, names, db: database.db, smtpUrl: sink.smtpUrl, from: FROM, contacts: contactOpener(testKeyring()), logger: testLogger(), policy: FAST, beforeAck: spy(seen.email) });
  return { seen, stop: () => Promise.all([notifications.stop(), email.stop()]) };
}

const mailsTo = (event: CheckoutEvent) => sink.messages().filter((m) => m.to.includes(event.data.customer.email));

async function ledger(channel: 'sms' | 'push', to: string): Promise<MessageRecord[]> {
  const response = await fetch(`${providers.urls[channel].primary}/_ledger?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { entries: MessageRecord[] }).entries;
}

/** Until the consumer has nothing pending and nothing unacknowledged. */
const settled = (names: StreamNames, consumer: string) =>
  waitFor(
    async () => {
      const info = await (await nc.jetstreamManager()).consumers.info(names.stream, consumer);
      return info.num_pending === 0 && info.num_ack_pending === 0 ? info : null;
    },
    { what: `${consumer} to settle`, timeoutMs: 20_000 },
  );

describe('event subjects', { timeout: 60_000 }, () => {
  it('sends the email consumer only email-first events and the notifications consumer only SMS- and push-first ones', async () => {
    const names = uniqueStreamNames('route');
    const jsm = await ensureCheckoutStream(nc, names, { policy: FAST, consumers: SERVICE_CONSUMERS });
    const emailFirst = eventFor({});
    const smsFirst = eventFor({ phone: '+15551239001', notify: ['sms', 'email'] });
    const pushFirst = eventFor({ deviceToken: 'push_subjects_1', notify: ['push', 'email'] });
    // Listed channels without their contact details (an event from elsewhere): nobody can be reached.
    const unreachable = eventFor({ notify: ['sms'] });
    for (const event of [emailFirst, smsFirst, pushFirst, unreachable]) await publishCheckoutEvent(nc, names, event, testKeyring());

    const stored = await Promise.all([1, 2, 3, 4].map(async (seq) => (await jsm.streams.getMessage(names.stream, { seq })).subject));
    const prefix = names.subjectPrefix;
    expect(stored).toEqual([`${prefix}.completed.notify.email`, `${prefix}.completed.notify.sms`, `${prefix}.completed.notify.push`, `${prefix}.completed.notify.none`]);
    // What the server holds for each consumer before anyone pulls.
    const pending = async (consumer: string) => (await jsm.consumers.info(names.stream, consumer)).num_pending;
    expect(await pending(EMAIL_CONSUMER)).toBe(1);
    expect(await pending(NOTIFICATIONS_CONSUMER)).toBe(2);
    expect(await pending(ANALYTICS_CONSUMER)).toBe(4);

    const subscribers = await startSubscribers(names);
    await waitFor(async () => mailsTo(emailFirst).length === 1 && (await ledger('sms', '+15551239001')).length === 1 && (await ledger('push', 'push_subjects_1')).length === 1, {
      what: 'the email, the SMS and the push message',
    });
    const [email, notifications] = [await settled(names, EMAIL_CONSUMER), await settled(names, NOTIFICATIONS_CONSUMER)];
    await subscribers.stop();

    expect(subscribers.seen.email).toEqual([emailFirst.id]);
    expect(subscribers.seen.notifications.sort()).toEqual([smsFirst.id, pushFirst.id].sort());
    expect(email.delivered.consumer_seq).toBe(1);
    expect(notifications.delivered.consumer_seq).toBe(2);
    expect([smsFirst, pushFirst, unreachable].flatMap(mailsTo)).toEqual([]);
  });

  it('delivers events stored under the type-only subjects before the upgrade, and published on them during its rollout', async () => {
    const names = uniqueStreamNames('upgrade');
    const jsm = await ensureCheckoutStream(nc, names, { policy: FAST, consumers: [] });
    // The durable consumers as the release before the channel token provisioned them.
    for (const durable of [EMAIL_CONSUMER, NOTIFICATIONS_CONSUMER]) {
      await jsm.consumers.add(names.stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(FAST.backoffMs[0]!),
        max_deliver: FAST.maxDeliver,
        backoff: FAST.backoffMs.map((ms) => nanos(ms)),
        filter_subjects: [`${names.subjectPrefix}.*`, `${names.subjectPrefix}.retry.${durable}`],
      });
    }
    const oldLayout: StreamNames = { ...names, eventSubjects: 'type' };
    const emailBefore = eventFor({});
    const smsBefore = eventFor({ phone: '+15551239002', notify: ['sms', 'email'] });
    for (const event of [emailBefore, smsBefore]) await publishCheckoutEvent(nc, oldLayout, event, testKeyring());
    expect((await jsm.streams.getMessage(names.stream, { seq: 1 })).subject).toBe(`${names.subjectPrefix}.completed`);

    // The new subscribers change the filters; then events come on both layouts (old and new workers side by side).
    const subscribers = await startSubscribers(names);
    const emailAfter = eventFor({});
    const smsAfter = eventFor({ phone: '+15551239003', notify: ['sms', 'email'] });
    const smsDuringRollout = eventFor({ phone: '+15551239004', notify: ['sms', 'email'] });
    for (const event of [emailAfter, smsAfter]) await publishCheckoutEvent(nc, names, event, testKeyring());
    await publishCheckoutEvent(nc, oldLayout, smsDuringRollout, testKeyring());
    await waitFor(
      async () =>
        mailsTo(emailBefore).length === 1 &&
        mailsTo(emailAfter).length === 1 &&
        (await Promise.all(['+15551239002', '+15551239003', '+15551239004'].map((to) => ledger('sms', to)))).every((sent) => sent.length === 1),
      { what: 'two emails and three SMS' },
    );
    await Promise.all([settled(names, EMAIL_CONSUMER), settled(names, NOTIFICATIONS_CONSUMER)]);
    await subscribers.stop();

    expect((await jsm.consumers.info(names.stream, EMAIL_CONSUMER)).config.filter_subjects).toEqual(consumerFilterSubjects(names, EMAIL_CONSUMER, EMAIL_EVENTS));
    expect((await jsm.consumers.info(names.stream, NOTIFICATIONS_CONSUMER)).config.filter_subjects).toEqual(
      consumerFilterSubjects(names, NOTIFICATIONS_CONSUMER, NOTIFICATIONS_EVENTS),
    );
    // Type-only events reach both consumers, and each skips the other's; the others only their own.
    expect(subscribers.seen.email.sort()).toEqual([emailBefore.id, smsBefore.id, emailAfter.id, smsDuringRollout.id].sort());
    expect(subscribers.seen.notifications.sort()).toEqual([emailBefore.id, smsBefore.id, smsAfter.id, smsDuringRollout.id].sort());
    expect([smsBefore, smsAfter, smsDuringRollout].flatMap(mailsTo)).toEqual([]);
  });

  it('stores a retried publish once, whichever layout each attempt was published in', async () => {
    const names = uniqueStreamNames('dedupe');
    const jsm = await ensureCheckoutStream(nc, names, { consumers: [] });
    const event = eventFor({ phone: '+15551239005', notify: ['sms'] });
    const first = await publishCheckoutEvent(nc, names, event, testKeyring());
    const again = await publishCheckoutEvent(nc, names, event, testKeyring());
    const fromAnOlderWorker = await publishCheckoutEvent(nc, { ...names, eventSubjects: 'type' }, event, testKeyring());
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, seq: first.seq });
    expect(fromAnOlderWorker).toMatchObject({ duplicate: true, seq: first.seq });
    expect((await jsm.streams.info(names.stream)).state.messages).toBe(1);
  });
});

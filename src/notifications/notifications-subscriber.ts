/**
 * The notifications subscriber: for a customer whose first channel is SMS or push, one message per checkout
 * outcome, delivered by the rules of `notifications/delivery-rules.ts` — retries with full jitter, the
 * secondary provider, and the customer's next channel (email, through SMTP) when a channel stays down or
 * refuses the recipient. Customers whose first channel is email are the email subscriber's: the consumer's
 * filter leaves their events on the server.
 *
 * Each attempt is recorded before the next begins, so a redelivered event resumes where the last one stood,
 * and every provider call carries the idempotency key `<event id>:<channel>`: a provider that accepted a
 * message whose answer was lost answers the retry with the same message. Before it moves on from a provider
 * whose answer was lost, the subscriber asks it whether that key was sent; while it cannot tell, it stays with
 * that provider, so a lost answer never becomes a second message elsewhere.
 */
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { channelPlan, type CheckoutEvent, type EventSelection } from '../contracts/events.ts';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from '../contracts/vocabulary.ts';
import type { Database } from '../platform/db/client.ts';
import { PermanentError, RetryLaterError, type ConsumeLoopOptions } from '../platform/nats/consume-loop.ts';
import type { ConsumerMetrics } from '../platform/nats/consumer-metrics.ts';
import { openForDelivery, type ContactOpener } from '../platform/nats/event-contact.ts';
import { startEventConsumer } from '../platform/nats/event-consumer.ts';
import type { ConsumerPolicy, StreamNames } from '../platform/nats/provision.ts';
import { claimNotification, finishNotification, recordAttempt, releaseNotification, restartNotification, stateOf } from './deliveries.ts';
import { DEFAULT_DELIVERY_POLICY, initialState, nextStep, providersOf, type DeliveryPolicy, type DeliveryState, type Provider } from './delivery-rules.ts';
import { lookupAtProvider, sendThroughProvider, type ProviderAnswer } from './providers.ts';
import { createMailer, type SmtpSendError } from './email-subscriber.ts';
import { renderCheckoutEmail, tellsCustomer } from './email-templates.ts';

/** SMS and push, with their fallback to email: customers reached first on any channel but email. */
export const NOTIFICATIONS_CONSUMER = 'notifications';
export const NOTIFICATIONS_EVENTS: EventSelection = NOTIFICATION_CHANNELS.filter((channel) => channel !== 'email');

export interface ProviderUrls {
  sms: Record<Provider, string>;
  push: Record<Provider, string>;
}

export interface NotificationsSubscriberOptions {
  nc: NatsConnection;
  names: StreamNames;
  db: Database;
  providers: ProviderUrls;
  /** Per-request timeout of provider calls. */
  providerTimeoutMs: number;
  smtpUrl: string;
  from: string;
  /** Opens each event's sealed contact: the phone, device token and address this subscriber reaches. */
  contacts: ContactOpener;
  logger: Logger;
  rules?: Partial<DeliveryPolicy>;
  consumer?: string;
  policy?: Partial<ConsumerPolicy>;
  /** Messages delivered at once by this instance (default 8). */
  concurrency?: number;
  /** How long an attempt owns its record; renewed after each attempt (default 60 s). */
  leaseMs?: number;
  beforeAck?: ConsumeLoopOptions['beforeAck'];
  /** Where this subscriber's settled events and effect times are counted. */
  metrics?: ConsumerMetrics;
  /** Fault injection for tests: runs after a provider answered and before the answer is recorded. */
  beforeRecord?: (answer: ProviderAnswer) => Promise<void>;
  /** Injectable for tests of the waits. */
  sleep?: (ms: number) => Promise<void>;
}

/** The idempotency key of an event's message on a channel: the same on every attempt and both providers. */
export const notificationKeyFor = (event: Pick<CheckoutEvent, 'id'>, channel: NotificationChannel) => `${event.id}:${channel}`;

/** The short text of an SMS or push message: the email's subject says it all. */
export const notificationText = (event: CheckoutEvent) => renderCheckoutEmail(event).subject;

class Stopping extends Error {}

export async function startNotificationsSubscriber(options: NotificationsSubscriberOptions): Promise<{ stop(): Promise<void> }> {
  const { nc, names, db, consumer = NOTIFICATIONS_CONSUMER, leaseMs = 60_000, providerTimeoutMs } = options;
  const rules: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, ...options.rules };
  const logger = options.logger.child({ subscriber: 'notifications' });
  const concurrency = options.concurrency ?? 8;
  const mailer = createMailer({ smtpUrl: options.smtpUrl, from: options.from, concurrency });
  let stopping = false;
  const wakeUps = new Set<() => void>();
  const pause = (ms: number) =>
    options.sleep
      ? options.sleep(ms)
      : new Promise<void>((resolve) => {
          const done = () => (clearTimeout(timer), wakeUps.delete(done), resolve());
          const timer = setTimeout(done, ms);
          wakeUps.add(done);
        });

  const urlOf = (channel: 'sms' | 'push', provider: Provider) => options.providers[channel][provider];

  /** One attempt on the state's channel and provider. */
  const attempt = async (event: CheckoutEvent, state: DeliveryState): Promise<ProviderAnswer> => {
    const { customer } = event.data;
    if (state.channel === 'email') {
      try {
        const { messageId } = await mailer.send(event);
        return { result: 'accepted', id: messageId, error: null };
      } catch (error) {
        const failure = error as SmtpSendError;
        return { result: failure.permanent ? 'rejected' : 'unavailable', id: null, error: `SMTP: ${failure.message}` };
      }
    }
    const to = state.channel === 'sms' ? customer.phone! : customer.deviceToken!;
    return sendThroughProvider(urlOf(state.channel, state.provider), { to, text: notificationText(event), key: notificationKeyFor(event, state.channel) }, providerTimeoutMs);
  };

  /**
   * Did an attempt on one of `suspects` — providers of the channel whose answer was lost — send after all?
   * Each is asked by key. A provider that cannot be asked leaves it `unknown`, never "not sent": moving on
   * then could send a second message.
   */
  const sentBefore = async (event: CheckoutEvent, channel: NotificationChannel, suspects: Iterable<Provider>): Promise<{ provider: Provider; id: string | null } | 'not_sent' | 'unknown'> => {
    if (channel === 'email') return 'not_sent'; // the Message-ID lets the receiving side spot a duplicate
    let unknown = false;
    for (const provider of suspects) {
      const found = await lookupAtProvider(urlOf(channel, provider), notificationKeyFor(event, channel), providerTimeoutMs);
      if (found.sent === true) return { provider, id: found.id };
      if (found.sent === 'unknown') unknown = true;
    }
    return unknown ? 'unknown' : 'not_sent';
  };

  const deliver = async (event: CheckoutEvent, replay: boolean) => {
    const log = logger.child({ eventId: event.id, checkoutId: event.checkoutId });
    const plan = channelPlan(event.data.customer);
    // The email subscriber's, or nobody's. The server sends such events here only on the type-only subjects
    // (stored before the channel token, or published with EVENT_SUBJECTS=type).
    if (plan[0] === 'email' || plan.length === 0) return;
    if (!tellsCustomer(event)) {
      log.debug('the customer is not told of this event');
      return;
    }
    let claim = await claimNotification(db, { eventId: event.id, checkoutId: event.checkoutId, initial: initialState(plan, Date.now()), leaseMs });
    if (claim.kind === 'finished' && claim.record.status === 'undeliverable' && replay) {
      const restarted = await restartNotification(db, event.id, initialState(plan, Date.now()), leaseMs);
      if (restarted) {
        log.info('replayed dead letter: delivering again from the first channel');
        claim = { kind: 'claimed', record: restarted };
      }
    }
    if (claim.kind === 'finished') {
      log.info({ status: claim.record.status }, 'notification already finished; acknowledging the redelivery');
      return;
    }
    if (claim.kind === 'busy') {
      const waitMs = claim.claimedUntil ? Math.max(0, claim.claimedUntil.getTime() - Date.now()) + 100 : 1_000;
      throw new RetryLaterError(`notification for ${event.id} is being delivered by another attempt`, waitMs);
    }
    const { record } = claim;
    let state = stateOf(record);
    // Providers of the current channel that may have sent without our hearing of it. Resuming after a crash
    // or a lost answer, any of them may have: the last attempts' answers are not in the record.
    const suspects = new Set<Provider>(record.attempts > 0 ? providersOf(state.channel) : []);
    const delivered = async (provider: Provider, id: string | null, countAttempt: boolean, why: string) => {
      await finishNotification(db, event.id, { status: 'delivered', channel: state.channel, provider, providerMessageId: id, countAttempt });
      log.info({ channel: state.channel, provider, fallbacks: record.fallbacks.length }, why);
    };
    if (suspects.size > 0) {
      const found = await sentBefore(event, state.channel, suspects);
      if (typeof found === 'object') return delivered(found.provider, found.id, false, 'notification found sent by an earlier attempt');
      // Unknown: go on with the same provider, which answers a key it has sent with that message.
      if (found === 'not_sent') suspects.clear();
    }
    for (;;) {
      if (stopping) throw new Stopping();
      const answer = await attempt(event, state);
      await options.beforeRecord?.(answer);
      if (answer.mayHaveSent) suspects.add(state.provider);
      const step = nextStep(plan, state, answer.result, Date.now(), rules);
      if (step.kind === 'delivered') return delivered(state.provider, answer.id, true, 'notification delivered');
      // Moving on from a provider (or a channel) whose answers may have been lost: ask first.
      const leaving = step.kind !== 'retry' || step.state.provider !== state.provider;
      if (leaving && suspects.size > 0) {
        const found = await sentBefore(event, state.channel, suspects);
        if (typeof found === 'object') return delivered(found.provider, found.id, true, 'notification found sent after a lost answer');
        if (found === 'unknown') {
          // Nobody can say whether it went out: moving on could send a second message. The event comes back
          // later and carries on from this provider, which answers its key with the first message if it sent.
          await releaseNotification(db, event.id);
          throw new RetryLaterError(`notification for ${event.id}: the ${state.channel} provider cannot tell yet whether it sent`, step.kind === 'retry' ? Math.max(step.afterMs, 1_000) : 1_000);
        }
        suspects.clear();
      }
      if (step.kind === 'undeliverable') {
        const why = `no channel left: ${state.channel} ${step.reason === 'rejected' ? 'refused the recipient' : `down for ${rules.channelDeadlineMs} ms`} (${answer.error ?? 'no detail'})`;
        await finishNotification(db, event.id, { status: 'undeliverable', error: why });
        throw new PermanentError(`notification undeliverable: ${why}`);
      }
      const fallback = step.kind === 'fallback' ? { from: step.from, to: step.state.channel, reason: step.reason, at: new Date().toISOString() } : undefined;
      await recordAttempt(db, event.id, { state: step.state, error: answer.error, fallback, leaseMs });
      if (fallback) log.warn({ from: fallback.from, to: fallback.to, reason: fallback.reason }, 'notification falls back to the next channel');
      if (step.state.channel !== state.channel) suspects.clear();
      state = step.state;
      if (step.kind === 'retry' && step.afterMs > 0) await pause(step.afterMs);
    }
  };

  const loop = await startEventConsumer({ nc, names, consumer, receives: NOTIFICATIONS_EVENTS, logger, concurrency, policy: options.policy, beforeAck: options.beforeAck, metrics: options.metrics }, async ({ event, replayOf }) => {
    try {
      await deliver(openForDelivery(options.contacts, event), replayOf !== null);
    } catch (error) {
      if (!(error instanceof Stopping)) throw error;
      // Handed back where it stands; the next instance resumes from the record.
      await releaseNotification(db, event.id);
      throw new RetryLaterError(`notification for ${event.id} paused: the subscriber is stopping`, 0);
    }
  });
  return {
    async stop() {
      stopping = true;
      wakeUps.forEach((wake) => wake());
      await loop.stop();
      mailer.close();
    },
  };
}

/**
 * The email subscriber: one customer email per checkout outcome, sent over SMTP from the durable `email`
 * consumer, for customers whose first channel is email (everyone who did not ask for SMS or push first): the
 * consumer's filter asks the server for those events only.
 * A delivery record claimed before sending makes redeliveries and competing instances send once; SMTP
 * trouble is retried with backoff, a permanent SMTP refusal (5xx) goes to the dead letters at once.
 */
import nodemailer from 'nodemailer';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { channelPlan, type CheckoutEvent, type EventSelection } from '../contracts/events.ts';
import type { Database } from '../platform/db/client.ts';
import { PermanentError, RetryLaterError, type ConsumeLoopOptions } from '../platform/nats/consume-loop.ts';
import type { ConsumerMetrics } from '../platform/nats/consumer-metrics.ts';
import { openForDelivery, type ContactOpener } from '../platform/nats/event-contact.ts';
import { startEventConsumer } from '../platform/nats/event-consumer.ts';
import type { ConsumerPolicy, StreamNames } from '../platform/nats/provision.ts';
import { claimDelivery, markSent, releaseDelivery } from './email-deliveries.ts';
import { renderCheckoutEmail, tellsCustomer } from './email-templates.ts';
import { maskEmail, redactPersonalData } from '../platform/redact.ts';
import { activeTraceIds } from '../platform/telemetry/tracing.ts';

/** Email to customers who are reached by email first (everyone who did not ask for SMS or push first). */
export const EMAIL_CONSUMER = 'email';
export const EMAIL_EVENTS: EventSelection = ['email'];

export interface EmailSubscriberOptions {
  nc: NatsConnection;
  names: StreamNames;
  db: Database;
  /** `smtp://host:port` or `smtps://user:pass@host:port`. */
  smtpUrl: string;
  from: string;
  /** Opens each event's sealed contact: the address this subscriber writes to. */
  contacts: ContactOpener;
  logger: Logger;
  /** Durable consumer name (default `email`); instances sharing it compete for messages. */
  consumer?: string;
  /** Redelivery policy the consumer is provisioned with. */
  policy?: Partial<ConsumerPolicy>;
  /** Emails sent at once by this instance (default 4). */
  concurrency?: number;
  /** How long one send attempt owns its delivery record (default 60 s). */
  leaseMs?: number;
  /** Fault injection for tests, see the consume loop. */
  beforeAck?: ConsumeLoopOptions['beforeAck'];
  /** Where this subscriber's settled events and effect times are counted. */
  metrics?: ConsumerMetrics;
}

/** The Message-ID of an event's email: the same on every attempt, so a resend is recognizable as one. */
export const messageIdFor = (event: Pick<CheckoutEvent, 'id'>) => `<${event.id}@durable-checkout>`;

/** Masks an address for logs: `a***@example.com`. */
export { maskEmail } from '../platform/redact.ts';

/** An SMTP failure, its text masked (an SMTP server's refusal names the recipient); `permanent` for a 5xx refusal. */
export class SmtpSendError extends Error {
  override name = 'SmtpSendError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

/** Sends an event's customer email over SMTP: the one way this service writes mail. */
export function createMailer({ smtpUrl, from, concurrency }: { smtpUrl: string; from: string; concurrency: number }) {
  // Pooled: one SMTP session per concurrent send, kept open between messages, instead of a connect, greeting
  // and quit around every email.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: concurrency,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(event: CheckoutEvent): Promise<{ template: string; messageId: string }> {
      const email = renderCheckoutEmail(event);
      const messageId = messageIdFor(event);
      const trace = activeTraceIds();
      try {
        await transport.sendMail({
          from,
          to: event.data.customer.name ? { name: event.data.customer.name, address: event.data.customer.email } : event.data.customer.email,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId,
          // The trace of the checkout this email tells about, for whoever follows up on it.
          headers: { 'X-Checkout-Event-Id': event.id, 'X-Checkout-Id': event.checkoutId, ...(trace && { 'X-Trace-Id': trace.traceId }) },
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        throw new SmtpSendError(redactPersonalData((error as Error).message), code !== undefined && code >= 500, code);
      }
      return { template: email.template, messageId };
    },
    close: () => transport.close(),
  };
}

export async function startEmailSubscriber(options: EmailSubscriberOptions): Promise<{ stop(): Promise<void> }> {
  const { nc, names, db, consumer = EMAIL_CONSUMER, leaseMs = 60_000 } = options;
  const logger = options.logger.child({ subscriber: 'email' });
  const concurrency = options.concurrency ?? 4;
  const mailer = createMailer({ smtpUrl: options.smtpUrl, from: options.from, concurrency });

  const send = async (event: CheckoutEvent) => {
    const log = logger.child({ eventId: event.id, checkoutId: event.checkoutId });
    if (channelPlan(event.data.customer)[0] !== 'email') {
      // A customer who asked for SMS or push first: the notifications subscriber delivers, email being its
      // fallback. The server sends such events here only on the type-only subjects (stored before the channel
      // token, or published with EVENT_SUBJECTS=type).
      log.debug('the notifications subscriber delivers this event');
      return;
    }
    if (!tellsCustomer(event)) {
      log.debug('the customer is not told of this event');
      return;
    }
    const email = renderCheckoutEmail(event);
    const messageId = messageIdFor(event);
    const claim = await claimDelivery(db, { eventId: event.id, checkoutId: event.checkoutId, template: email.template, messageId, leaseMs });
    if (claim.kind === 'already_sent') {
      log.info('email already sent for this event; acknowledging the redelivery');
      return;
    }
    if (claim.kind === 'busy') {
      // Another attempt holds the record (or crashed holding it): retry after its lease ends.
      const waitMs = claim.claimedUntil ? Math.max(0, claim.claimedUntil.getTime() - Date.now()) + 100 : 1_000;
      throw new RetryLaterError(`email for ${event.id} is being sent by another attempt until ${claim.claimedUntil?.toISOString() ?? '?'}`, waitMs);
    }
    try {
      await mailer.send(event);
    } catch (error) {
      const failure = error as SmtpSendError;
      await releaseDelivery(db, event.id, failure.message).catch((e: unknown) => log.warn({ err: e }, 'could not release the delivery record'));
      if (failure.permanent) throw new PermanentError(`SMTP refused the email (${failure.code}): ${failure.message}`);
      throw new Error(`SMTP unavailable: ${failure.message}`);
    }
    await markSent(db, event.id);
    log.info({ template: email.template, to: maskEmail(event.data.customer.email), attempt: claim.attempts }, 'email sent');
  };

  const loop = await startEventConsumer({ nc, names, consumer, receives: EMAIL_EVENTS, logger, concurrency, policy: options.policy, beforeAck: options.beforeAck, metrics: options.metrics }, ({ event }) => send(openForDelivery(options.contacts, event)));
  return {
    async stop() {
      await loop.stop();
      mailer.close();
    },
  };
}

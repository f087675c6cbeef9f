/**
 * The email subscriber: one customer email per checkout outcome, sent over SMTP from the durable `email`
 * consumer. A delivery record claimed before sending makes redeliveries and competing instances send once;
 * SMTP trouble is retried with backoff, a permanent SMTP refusal (5xx) goes to the dead letters at once.
 */
import nodemailer from 'nodemailer';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { EMAIL_CONSUMER, type CheckoutEvent } from '../contracts/events.ts';
import type { Database } from '../db/client.ts';
import { PermanentError, RetryLaterError, startConsumeLoop, type ConsumeLoopOptions } from '../nats/consume-loop.ts';
import { ensureCheckoutStream, type ConsumerPolicy, type StreamNames } from '../nats/provision.ts';
import { claimDelivery, markSent, releaseDelivery } from './email-deliveries.ts';
import { renderCheckoutEmail } from './email-templates.ts';
import { maskEmail, redactPersonalData } from '../domain/redact.ts';

export interface EmailSubscriberOptions {
  nc: NatsConnection;
  names: StreamNames;
  db: Database;
  /** `smtp://host:port` or `smtps://user:pass@host:port`. */
  smtpUrl: string;
  from: string;
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
}

/** The Message-ID of an event's email: the same on every attempt, so a resend is recognizable as one. */
export const messageIdFor = (event: Pick<CheckoutEvent, 'id'>) => `<${event.id}@durable-checkout>`;

/** Masks an address for logs: `a***@example.com`. */
export { maskEmail } from '../domain/redact.ts';

export async function startEmailSubscriber(options: EmailSubscriberOptions): Promise<{ stop(): Promise<void> }> {
  const { nc, names, db, consumer = EMAIL_CONSUMER, leaseMs = 60_000 } = options;
  const logger = options.logger.child({ subscriber: 'email' });
  const concurrency = options.concurrency ?? 4;
  // Pooled: one SMTP session per concurrent send, kept open between messages, instead of a connect, greeting
  // and quit around every email.
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: concurrency,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });

  const send = async (event: CheckoutEvent) => {
    const log = logger.child({ eventId: event.id, checkoutId: event.checkoutId });
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
      await transport.sendMail({
        from: options.from,
        to: event.data.customer.name ? { name: event.data.customer.name, address: event.data.customer.email } : event.data.customer.email,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId,
        headers: { 'X-Checkout-Event-Id': event.id, 'X-Checkout-Id': event.checkoutId },
      });
    } catch (error) {
      // An SMTP server's refusal names the recipient: masked before it is stored, logged or dead-lettered.
      const message = redactPersonalData((error as Error).message);
      await releaseDelivery(db, event.id, message).catch((e: unknown) => log.warn({ err: e }, 'could not release the delivery record'));
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500) throw new PermanentError(`SMTP refused the email (${code}): ${message}`);
      throw new Error(`SMTP unavailable: ${message}`);
    }
    await markSent(db, event.id);
    log.info({ template: email.template, to: maskEmail(event.data.customer.email), attempt: claim.attempts }, 'email sent');
  };

  const loop = await startConsumeLoop({
    nc,
    names,
    consumer,
    logger,
    batchSize: concurrency,
    ensure: async () => void (await ensureCheckoutStream(nc, names, { policy: options.policy, consumers: [consumer] })),
    beforeAck: options.beforeAck,
    handle: ({ event }) => send(event),
  });
  return {
    async stop() {
      await loop.stop();
      transport.close();
    },
  };
}

/** The email subscriber as a role: the customer email of every outcome whose customer's first channel is email. */
import { createConsumerMetrics } from '../platform/nats/consumer-metrics.ts';
import { contactOpenerOf } from './contacts.ts';
import type { Subscriber } from '../platform/nats/subscriber.ts';
import { EMAIL_CONSUMER, EMAIL_EVENTS, startEmailSubscriber } from './email-subscriber.ts';

export const emailSubscriber = {
  name: EMAIL_CONSUMER,
  summary: 'the customer email of every outcome whose customer is reached by email first',
  receives: EMAIL_EVENTS,
  start: ({ config, db, nc, names, logger, registry }) =>
    startEmailSubscriber({ nc, names, db, smtpUrl: config.email.smtpUrl, from: config.email.from, contacts: contactOpenerOf(config), logger, metrics: createConsumerMetrics(registry, EMAIL_CONSUMER) }),
} as const satisfies Subscriber;

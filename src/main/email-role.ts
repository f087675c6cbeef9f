/** The email role: the customer email of every outcome whose customer's first channel is email. */
import { EMAIL_CONSUMER } from '../contracts/events.ts';
import { createConsumerMetrics } from '../nats/consumer-metrics.ts';
import { startEmailSubscriber } from '../subscribers/email.ts';
import { contactOpenerOf } from './shared-deps.ts';
import type { SubscriberDeps } from './subscriber-process.ts';

export const startEmailRole = ({ config, db, nc, names, logger, registry }: SubscriberDeps) =>
  startEmailSubscriber({ nc, names, db, smtpUrl: config.email.smtpUrl, from: config.email.from, contacts: contactOpenerOf(config), logger, metrics: createConsumerMetrics(registry, EMAIL_CONSUMER) });

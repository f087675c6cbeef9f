/** The notifications role: SMS and push first for the customers who chose them, with fallback down their channels. */
import { NOTIFICATIONS_CONSUMER } from '../contracts/events.ts';
import { createConsumerMetrics } from '../nats/consumer-metrics.ts';
import { startNotificationsSubscriber } from '../subscribers/notifications.ts';
import { contactOpenerOf } from './shared-deps.ts';
import type { SubscriberDeps } from './subscriber-process.ts';

export const startNotificationsRole = ({ config, db, nc, names, logger, registry }: SubscriberDeps) =>
  startNotificationsSubscriber({
    nc,
    names,
    db,
    providers: config.notifications.providers,
    providerTimeoutMs: config.notifications.providerTimeoutMs,
    rules: { channelDeadlineMs: config.notifications.channelDeadlineMs },
    smtpUrl: config.email.smtpUrl,
    from: config.email.from,
    contacts: contactOpenerOf(config),
    logger,
    metrics: createConsumerMetrics(registry, NOTIFICATIONS_CONSUMER),
  });

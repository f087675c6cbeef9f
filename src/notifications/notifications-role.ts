/** The notifications subscriber as a role: SMS and push first for the customers who chose them, with fallback down their channels. */
import { createConsumerMetrics } from '../platform/nats/consumer-metrics.ts';
import { contactOpenerOf } from './contacts.ts';
import type { Subscriber } from '../platform/nats/subscriber.ts';
import { NOTIFICATIONS_CONSUMER, NOTIFICATIONS_EVENTS, startNotificationsSubscriber } from './notifications-subscriber.ts';

export const notificationsSubscriber = {
  name: NOTIFICATIONS_CONSUMER,
  summary: 'SMS and push for the customers who chose them, falling back down their channels',
  receives: NOTIFICATIONS_EVENTS,
  start: ({ config, db, nc, names, logger, registry }) =>
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
    }),
} as const satisfies Subscriber;

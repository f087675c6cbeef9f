/** The email, notifications and analytics subscriber roles: durable JetStream consumers with their effects in the database. */
import type { NatsConnection } from 'nats';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { StreamNames } from '../nats/provision.ts';
import { startAnalyticsSubscriber } from '../subscribers/analytics.ts';
import { startEmailSubscriber } from '../subscribers/email.ts';
import { startNotificationsSubscriber } from '../subscribers/notifications.ts';

export interface SubscriberDeps {
  config: Config;
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
  logger: Logger;
}

export const startEmailRole = ({ config, db, nc, names, logger }: SubscriberDeps) =>
  startEmailSubscriber({ nc, names, db, smtpUrl: config.email.smtpUrl, from: config.email.from, logger });

export const startAnalyticsRole = ({ db, nc, names, logger }: SubscriberDeps) => startAnalyticsSubscriber({ nc, names, db, logger });

export const startNotificationsRole = ({ config, db, nc, names, logger }: SubscriberDeps) =>
  startNotificationsSubscriber({
    nc,
    names,
    db,
    providers: config.notifications.providers,
    providerTimeoutMs: config.notifications.providerTimeoutMs,
    rules: { channelDeadlineMs: config.notifications.channelDeadlineMs },
    smtpUrl: config.email.smtpUrl,
    from: config.email.from,
    logger,
  });

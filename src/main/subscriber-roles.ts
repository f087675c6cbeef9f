/** The email and analytics subscriber roles: durable JetStream consumers with their effects in the database. */
import type { NatsConnection } from 'nats';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { StreamNames } from '../nats/provision.ts';
import { startAnalyticsSubscriber } from '../subscribers/analytics.ts';
import { startEmailSubscriber } from '../subscribers/email.ts';

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

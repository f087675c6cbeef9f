/**
 * What a subscriber is to the processes that run it: a durable consumer of the outcome stream (its name, the
 * events it receives) and how it starts on connections it is given. Each subscriber's folder declares one;
 * the roles table (src/roles/subscribers.ts) lists them, and provisioning, NATS permissions, the CLI and the
 * local stack all follow from that list.
 */
import type { NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/index.ts';
import type { EventSelection } from '../../contracts/events.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { StreamNames } from './provision.ts';

/** What a subscriber is started with: alone in its process, or beside the others in the local stack. */
export interface SubscriberDeps {
  config: Config;
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
  logger: Logger;
  /** Where the subscriber's metrics are registered. */
  registry: Registry;
}

export interface Subscriber<Name extends string = string> {
  /** The role's name and its durable consumer's. */
  name: Name;
  /** One line: what the subscriber does (the CLI's --help and the operations guide). */
  summary: string;
  receives: EventSelection;
  start(deps: SubscriberDeps): Promise<{ stop(): Promise<void> }>;
}

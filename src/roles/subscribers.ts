/**
 * The subscribers of the outcome stream: the rows of the roles table that are durable consumers. Adding a
 * subscriber is its folder (the consumer, and a `Subscriber` that starts it) and one row here; the stream's
 * provisioning, the NATS permissions (deploy/nats-accounts.conf), the CLI's roles and the local stack follow.
 */
import { analyticsSubscriber } from '../analytics/role.ts';
import { emailSubscriber } from '../notifications/email-role.ts';
import { notificationsSubscriber } from '../notifications/notifications-role.ts';
import type { DurableConsumer } from '../platform/nats/provision.ts';
import { webhooksSubscriber } from '../webhooks/role.ts';

export const SUBSCRIBERS = [emailSubscriber, notificationsSubscriber, analyticsSubscriber, webhooksSubscriber] as const;

/** The service's durable consumers and what each receives: what the migrate role provisions. */
export const SERVICE_CONSUMERS: readonly DurableConsumer[] = SUBSCRIBERS.map(({ name, receives }) => ({ name, receives }));

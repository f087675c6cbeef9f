/** The webhooks subscriber as a role: every event, to the merchants' endpoints that ask for it, signed. */
import { payloadKeyringOf } from '../platform/codec/payload-keys.ts';
import { createConsumerMetrics } from '../platform/nats/consumer-metrics.ts';
import type { Subscriber } from '../platform/nats/subscriber.ts';
import { createWebhookMetrics } from './metrics.ts';
import { startWebhooksSubscriber, WEBHOOKS_CONSUMER, WEBHOOKS_EVENTS } from './subscriber.ts';

export const webhooksSubscriber = {
  name: WEBHOOKS_CONSUMER,
  summary: "every event, signed (Standard Webhooks), to the merchants' endpoints that ask for it, retried for a day",
  receives: WEBHOOKS_EVENTS,
  start: ({ config, db, nc, names, logger, registry }) =>
    startWebhooksSubscriber({
      nc,
      names,
      db,
      keyring: payloadKeyringOf(config),
      logger,
      ...config.webhooks,
      consumerMetrics: createConsumerMetrics(registry, WEBHOOKS_CONSUMER),
      metrics: createWebhookMetrics(registry),
    }),
} as const satisfies Subscriber;

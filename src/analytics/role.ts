/** The analytics subscriber as a role: folds every outcome into the per-merchant read model. */
import { createConsumerMetrics } from '../platform/nats/consumer-metrics.ts';
import type { Subscriber } from '../platform/nats/subscriber.ts';
import { ANALYTICS_CONSUMER, ANALYTICS_EVENTS, startAnalyticsSubscriber } from './subscriber.ts';

export const analyticsSubscriber = {
  name: ANALYTICS_CONSUMER,
  summary: 'the analytics read model behind /v1/analytics/summary and the dashboard',
  receives: ANALYTICS_EVENTS,
  start: ({ db, nc, names, logger, registry }) => startAnalyticsSubscriber({ nc, names, db, logger, metrics: createConsumerMetrics(registry, ANALYTICS_CONSUMER) }),
} as const satisfies Subscriber;

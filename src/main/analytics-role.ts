/** The analytics role: folds every outcome into the per-merchant read model. */
import { ANALYTICS_CONSUMER } from '../contracts/events.ts';
import { createConsumerMetrics } from '../nats/consumer-metrics.ts';
import { startAnalyticsSubscriber } from '../subscribers/analytics.ts';
import type { SubscriberDeps } from './subscriber-process.ts';

export const startAnalyticsRole = ({ db, nc, names, logger, registry }: SubscriberDeps) =>
  startAnalyticsSubscriber({ nc, names, db, logger, metrics: createConsumerMetrics(registry, ANALYTICS_CONSUMER) });

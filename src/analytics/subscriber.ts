/**
 * The analytics subscriber: pulls checkout events in batches from the durable `analytics` consumer and folds
 * each batch into the read model in one transaction, together with its dedupe records.
 */
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { EventSelection } from '../contracts/events.ts';
import type { Database } from '../platform/db/client.ts';
import { startConsumeLoop, type ConsumeLoopOptions } from '../platform/nats/consume-loop.ts';
import { ensureCheckoutStream, type ConsumerPolicy, type StreamNames } from '../platform/nats/provision.ts';
import type { ConsumerMetrics } from '../platform/nats/consumer-metrics.ts';
import { applyAnalyticsEvents } from './model.ts';

/** Every event. */
export const ANALYTICS_CONSUMER = 'analytics';
export const ANALYTICS_EVENTS: EventSelection = 'all';

export interface AnalyticsSubscriberOptions {
  nc: NatsConnection;
  names: StreamNames;
  db: Database;
  logger: Logger;
  /** Durable consumer name (default `analytics`). */
  consumer?: string;
  /** Redelivery policy the consumer is provisioned with. */
  policy?: Partial<ConsumerPolicy>;
  /** Events per transaction (default 100). */
  batchSize?: number;
  /** Fault injection for tests, see the consume loop. */
  beforeAck?: ConsumeLoopOptions['beforeAck'];
  metrics?: ConsumerMetrics;
}

export async function startAnalyticsSubscriber(options: AnalyticsSubscriberOptions): Promise<{ stop(): Promise<void> }> {
  const { nc, names, db, consumer = ANALYTICS_CONSUMER } = options;
  const logger = options.logger.child({ subscriber: 'analytics' });
  return startConsumeLoop({
    nc,
    names,
    consumer,
    logger,
    batchSize: options.batchSize ?? 100,
    ensure: async () => void (await ensureCheckoutStream(nc, names, { policy: options.policy, consumers: [{ name: consumer, receives: ANALYTICS_EVENTS }] })),
    beforeAck: options.beforeAck,
    metrics: options.metrics,
    handleBatch: async (batch) => {
      const applied = await db.transaction((tx) => applyAnalyticsEvents(tx, batch.map((b) => b.event)));
      logger.debug({ received: batch.length, applied }, 'analytics batch committed');
    },
  });
}

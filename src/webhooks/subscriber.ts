/**
 * The webhooks subscriber: receives every event from the durable `webhooks` consumer, records its deliveries
 * to the endpoints that ask for it (acknowledging the event only once they are recorded), and runs the
 * dispatcher that sends them.
 */
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { EventSelection } from '../contracts/events.ts';
import type { PayloadKeyring } from '../platform/codec/payload-codec.ts';
import type { Database } from '../platform/db/client.ts';
import { startConsumeLoop } from '../platform/nats/consume-loop.ts';
import type { ConsumerMetrics } from '../platform/nats/consumer-metrics.ts';
import { ensureCheckoutStream, type ConsumerPolicy, type StreamNames } from '../platform/nats/provision.ts';
import { fanOut } from './deliveries.ts';
import { startDispatcher, type DispatcherOptions } from './dispatcher.ts';

export const WEBHOOKS_CONSUMER = 'webhooks';
export const WEBHOOKS_EVENTS: EventSelection = 'all';

export interface WebhooksSubscriberOptions extends Omit<DispatcherOptions, 'logger'> {
  nc: NatsConnection;
  names: StreamNames;
  db: Database;
  keyring: PayloadKeyring;
  logger: Logger;
  consumer?: string;
  policy?: Partial<ConsumerPolicy>;
  consumerMetrics?: ConsumerMetrics;
}

export async function startWebhooksSubscriber(options: WebhooksSubscriberOptions): Promise<{ stop(): Promise<void> }> {
  const { nc, names, db, consumer = WEBHOOKS_CONSUMER } = options;
  const logger = options.logger.child({ subscriber: 'webhooks' });
  const dispatcher = startDispatcher({ ...options, logger });
  const loop = await startConsumeLoop({
    nc,
    names,
    consumer,
    logger,
    batchSize: 50,
    ensure: async () => void (await ensureCheckoutStream(nc, names, { policy: options.policy, consumers: [{ name: consumer, receives: WEBHOOKS_EVENTS }] })),
    metrics: options.consumerMetrics,
    handleBatch: async (batch) => {
      const made = await fanOut(db, batch.map((b) => b.event));
      if (made > 0) dispatcher.wake();
    },
  });
  return {
    async stop() {
      await loop.stop();
      await dispatcher.stop();
    },
  };
}

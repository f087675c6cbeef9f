/** A subscriber's consume loop over its own durable consumer, which it (re)provisions with its policy on every start. */
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { startConsumeLoop, type ConsumedEvent, type ConsumeLoop, type ConsumeLoopOptions } from './consume-loop.ts';
import type { EventSelection } from '../../contracts/events.ts';
import type { ConsumerMetrics } from './consumer-metrics.ts';
import { ensureCheckoutStream, type ConsumerPolicy, type StreamNames } from './provision.ts';

export interface EventConsumerOptions {
  nc: NatsConnection;
  names: StreamNames;
  consumer: string;
  /** The events the server sends this consumer (see `consumerFilterSubjects`). */
  receives: EventSelection;
  logger: Logger;
  /** Events handled at once. */
  concurrency: number;
  policy?: Partial<ConsumerPolicy>;
  beforeAck?: ConsumeLoopOptions['beforeAck'];
  metrics?: ConsumerMetrics;
}

export const startEventConsumer = (options: EventConsumerOptions, handle: (event: ConsumedEvent) => Promise<void>): Promise<ConsumeLoop> =>
  startConsumeLoop({
    nc: options.nc,
    names: options.names,
    consumer: options.consumer,
    logger: options.logger,
    batchSize: options.concurrency,
    ensure: async () => void (await ensureCheckoutStream(options.nc, options.names, { policy: options.policy, consumers: [{ name: options.consumer, receives: options.receives }] })),
    beforeAck: options.beforeAck,
    metrics: options.metrics,
    handle,
  });

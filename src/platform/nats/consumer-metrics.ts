/**
 * A subscriber's Prometheus metrics, labelled by its durable consumer: how each message was settled, how many
 * came back, what was dead-lettered, how long the effect took and how long after publication it was done.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { registeredOnce } from '../telemetry/registered-once.ts';

export type SettleOutcome = 'done' | 'retry' | 'dead_letter';

export interface ConsumerMetrics {
  /** A message settled, with the time its publication was stored (`publishedAtMs`) when it was done. */
  settled(outcome: SettleOutcome, publishedAtMs?: number): void;
  /** A message delivered again (its delivery count above 1). */
  redelivered(): void;
  deadLettered(cause: 'poison' | 'exhausted'): void;
  /** How long the handler's effect took (one message, or one batch). */
  effect(seconds: number): void;
}

const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The metrics of `consumer` in `registry`; several consumers (the all-in-one stack) share the metric families. */
export function createConsumerMetrics(registry: Registry, consumer: string): ConsumerMetrics {
  const registers = [registry];
  const handled = registeredOnce(registry, 'subscriber_events_handled_total', () =>
    new Counter({ name: 'subscriber_events_handled_total', help: 'Events a subscriber settled, by consumer and outcome (done, retry, dead_letter)', labelNames: ['consumer', 'outcome'], registers }),
  );
  const redeliveries = registeredOnce(registry, 'subscriber_redeliveries_total', () =>
    new Counter({ name: 'subscriber_redeliveries_total', help: 'Events delivered to a subscriber more than once (a retry, a lost ack, a crashed instance)', labelNames: ['consumer'], registers }),
  );
  const deadLettered = registeredOnce(registry, 'subscriber_dead_lettered_total', () =>
    new Counter({ name: 'subscriber_dead_lettered_total', help: 'Events a subscriber gave up on and recorded on the dead-letter stream, by cause (poison, exhausted)', labelNames: ['consumer', 'cause'], registers }),
  );
  const effect = registeredOnce(registry, 'subscriber_effect_duration_seconds', () =>
    new Histogram({ name: 'subscriber_effect_duration_seconds', help: "How long a subscriber's effect took (one email, one analytics batch)", labelNames: ['consumer'], buckets: SECONDS, registers }),
  );
  const delay = registeredOnce(registry, 'subscriber_event_delay_seconds', () =>
    new Histogram({ name: 'subscriber_event_delay_seconds', help: "From the event's publication on JetStream to its effect being done", labelNames: ['consumer'], buckets: SECONDS, registers }),
  );
  return {
    settled(outcome, publishedAtMs) {
      handled.inc({ consumer, outcome });
      if (outcome === 'done' && publishedAtMs !== undefined) delay.observe({ consumer }, Math.max(0, Date.now() - publishedAtMs) / 1_000);
    },
    redelivered: () => redeliveries.inc({ consumer }),
    deadLettered: (cause) => deadLettered.inc({ consumer, cause }),
    effect: (seconds) => effect.observe({ consumer }, seconds),
  };
}

/** For loops nobody scrapes (tools, tests). */
export const NO_CONSUMER_METRICS: ConsumerMetrics = { settled() {}, redelivered() {}, deadLettered() {}, effect() {} };

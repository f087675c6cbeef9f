/**
 * Creates or updates the checkout event stream and its durable consumers. Idempotent: every process that
 * needs them calls it at start.
 */
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection, nanos } from 'nats';
import { ANALYTICS_CONSUMER, CHECKOUT_EVENTS_STREAM, CHECKOUT_EVENTS_SUBJECTS, EMAIL_CONSUMER } from '../contracts/events.ts';

export interface StreamNames {
  /** Stream of checkout outcomes. */
  stream: string;
  /** Subject prefix; subjects are `<prefix>.completed` etc. Tests use a unique prefix per run. */
  subjectPrefix: string;
}

export const DEFAULT_STREAM_NAMES: StreamNames = {
  stream: CHECKOUT_EVENTS_STREAM,
  subjectPrefix: CHECKOUT_EVENTS_SUBJECTS.replace(/\.>$/, ''),
};

/** The subject an event type is published on, e.g. `checkout.completed`. */
export const subjectFor = (names: StreamNames, type: string) => `${names.subjectPrefix}.${type.replace(/^checkout\./, '')}`;

/** How long the stream remembers a `Nats-Msg-Id`, so a retried publish is stored once. */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 60 * 1000;
/** How long events are kept, so analytics can be rebuilt from history. */
export const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export async function ensureCheckoutStream(nc: NatsConnection, names: StreamNames = DEFAULT_STREAM_NAMES): Promise<JetStreamManager> {
  const jsm = await nc.jetstreamManager();
  const config = {
    name: names.stream,
    subjects: [`${names.subjectPrefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(RETENTION_MS),
  };
  try {
    await jsm.streams.info(names.stream);
    await jsm.streams.update(names.stream, config);
  } catch (error) {
    if (!String((error as Error).message).includes('stream not found')) throw error;
    await jsm.streams.add(config);
  }
  for (const durable of [EMAIL_CONSUMER, ANALYTICS_CONSUMER]) {
    await jsm.consumers.add(names.stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
      max_deliver: 5,
    });
  }
  return jsm;
}

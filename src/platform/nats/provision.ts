/**
 * Creates or updates the checkout event stream, its dead-letter stream and the durable consumers. Idempotent:
 * every process that needs them calls it at start, and a changed policy is applied to existing consumers.
 */
import {
  AckPolicy,
  DeliverPolicy,
  ErrorCode,
  RetentionPolicy,
  StorageType,
  nanos,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from 'nats';
import {
  CHECKOUT_EVENTS_STREAM,
  CHECKOUT_EVENTS_SUBJECTS,
  channelPlan,
  type CheckoutEvent,
  type EventSelection,
  type EventSubjectLayout,
  type FirstChannel,
} from '../../contracts/events.ts';

export interface StreamNames {
  /** Stream of checkout outcomes. */
  stream: string;
  /** Subject prefix; subjects are `<prefix>.completed.notify.email` etc. Tests use a unique prefix per run. */
  subjectPrefix: string;
  /**
   * The subjects events are published on (EVENT_SUBJECTS): `channel` (the default) names the outcome and the
   * customer's first channel; `type` only the outcome, as releases before the channel token did, for the
   * rollout of an upgrade (docs/operations.md). Consumers receive both.
   */
  eventSubjects?: EventSubjectLayout;
}

export const DEFAULT_STREAM_NAMES: StreamNames = {
  stream: CHECKOUT_EVENTS_STREAM,
  subjectPrefix: CHECKOUT_EVENTS_SUBJECTS.replace(/\.>$/, ''),
};

/** The channel an event's customer is reached on first, as its subject names it. */
export const firstChannelOf = (event: Pick<CheckoutEvent, 'data'>): FirstChannel => channelPlan(event.data.customer)[0] ?? 'none';

/**
 * The subject of an event type and first channel, e.g. `checkout.completed.notify.sms` (`*` for either makes
 * a filter). Three tokens after the prefix: the outcome, `notify`, the channel. Retries
 * (`<prefix>.retry.<consumer>`) have two and the type-only subjects one, so no filter for one kind matches
 * another kind, whatever a consumer is named.
 */
export const subjectFor = (names: StreamNames, type: string, firstChannel: FirstChannel | '*') => `${typeSubjectFor(names, type)}.notify.${firstChannel}`;

/** The subject of an event type without the channel, e.g. `checkout.completed`: the layout before the channel token. */
export const typeSubjectFor = (names: StreamNames, type: string) => `${names.subjectPrefix}.${type.replace(/^checkout\./, '')}`;

/** The subject an event is published on, in the layout `names` asks for. */
export const eventSubjectFor = (names: StreamNames, event: Pick<CheckoutEvent, 'type' | 'data'>) =>
  names.eventSubjects === 'type' ? typeSubjectFor(names, event.type) : subjectFor(names, event.type, firstChannelOf(event));

/**
 * The subject a replayed dead letter is republished on, e.g. `checkout.retry.email`: two tokens after the
 * prefix, so only the consumer that dead-lettered it (whose filter names it) receives it again.
 */
export const retrySubjectFor = (names: StreamNames, consumer: string) => `${names.subjectPrefix}.retry.${consumer}`;

/**
 * What a durable consumer receives, filtered by the server: the events it selects (every first channel, or
 * those listed), every type-only event (`<prefix>.*`: stored before the upgrade, or published by a release
 * before the channel token — a consumer that selects checks those itself), and its own retries.
 */
export const consumerFilterSubjects = (names: StreamNames, consumer: string, selection: EventSelection = 'all') => [
  `${names.subjectPrefix}.*`,
  ...(selection === 'all' ? ['*' as const] : selection).map((channel) => subjectFor(names, '*', channel)),
  retrySubjectFor(names, consumer),
];

/** A durable consumer to provision: its name and the events it receives. */
export interface DurableConsumer {
  name: string;
  receives: EventSelection;
}

/** A consumer named alone receives every event. */
const durableConsumerOf = (consumer: string | DurableConsumer): DurableConsumer => (typeof consumer === 'string' ? { name: consumer, receives: 'all' } : consumer);

/** The dead-letter stream of a checkout stream, e.g. `CHECKOUT_EVENTS_DLQ`. */
export const deadLetterStreamName = (names: StreamNames) => `${names.stream}_DLQ`;

/** Where a consumer writes the dead-letter record of a message it gives up on, e.g. `checkout_dlq.email`. */
export const deadLetterSubjectFor = (names: StreamNames, consumer: string) => `${names.subjectPrefix}_dlq.${consumer}`;

/** The server advisories the dead-letter stream captures, for every consumer of the checkout stream. */
export const deadLetterAdvisorySubjects = (names: StreamNames) => [
  `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${names.stream}.*`,
  `$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.${names.stream}.*`,
];

/** How long the stream remembers a `Nats-Msg-Id`, so a retried publish is stored once. */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 60 * 1000;
/** How long events are kept, so analytics can be rebuilt from history. */
export const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Dead letters are kept as long as the events they point at. */
export const DEAD_LETTER_RETENTION_MS = RETENTION_MS;

/** Redelivery policy of the durable consumers. */
export interface ConsumerPolicy {
  /**
   * Wait before delivery n+1 (the last step repeats). The server uses it as the ack deadline of a consumer
   * that went silent (it overrides ack_wait); the consume loop uses the same steps for its `nak` delays.
   */
  backoffMs: number[];
  /** Deliveries before a message is dead-lettered; must exceed the number of backoff steps. */
  maxDeliver: number;
  /** Unacknowledged messages a consumer may hold at once. */
  maxAckPending: number;
}

/** Production default: about 45 minutes of retries before a message becomes a dead letter. */
export const DEFAULT_CONSUMER_POLICY: ConsumerPolicy = {
  backoffMs: [5_000, 30_000, 120_000, 600_000, 1_800_000],
  maxDeliver: 6,
  maxAckPending: 1_000,
};

export interface ProvisionOptions {
  policy?: Partial<ConsumerPolicy>;
  /**
   * Durable consumers to create (none if left out; the roles pass the service's, `SERVICE_CONSUMERS` of
   * src/roles/subscribers.ts). A name alone receives every event.
   */
  consumers?: readonly (string | DurableConsumer)[];
  /**
   * Copies of each stream in a NATS cluster (NATS_STREAM_REPLICAS). Given: created or changed to it. Not
   * given: a new stream gets one, an existing one keeps what it has (a subscriber re-creating its consumer
   * must not undo the deployment's choice).
   */
  replicas?: number;
}

export async function ensureCheckoutStream(
  nc: NatsConnection,
  names: StreamNames = DEFAULT_STREAM_NAMES,
  options: ProvisionOptions = {},
): Promise<JetStreamManager> {
  const jsm = await nc.jetstreamManager();
  const { replicas } = options;
  await ensureStream(jsm, replicas, {
    name: names.stream,
    subjects: [`${names.subjectPrefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(RETENTION_MS),
  });
  await ensureStream(jsm, replicas, {
    name: deadLetterStreamName(names),
    description: `Dead letters of ${names.stream}: records written by consumers and the server's advisories`,
    subjects: [`${names.subjectPrefix}_dlq.>`, ...deadLetterAdvisorySubjects(names)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(DEAD_LETTER_RETENTION_MS),
  });
  const policy = resolvePolicy(options.policy);
  for (const durable of options.consumers ?? []) {
    await ensureDurableConsumer(jsm, names, durableConsumerOf(durable), policy);
  }
  return jsm;
}

/** Merges a partial policy into the default and checks the rule the server enforces. */
export function resolvePolicy(partial: Partial<ConsumerPolicy> = {}): ConsumerPolicy {
  const policy = { ...DEFAULT_CONSUMER_POLICY, ...partial };
  if (policy.backoffMs.length === 0 || policy.backoffMs.some((ms) => !(ms > 0))) {
    throw new Error('consumer policy: backoffMs needs at least one positive step');
  }
  if (policy.maxDeliver <= policy.backoffMs.length) {
    throw new Error(`consumer policy: maxDeliver (${policy.maxDeliver}) must exceed the number of backoff steps (${policy.backoffMs.length})`);
  }
  return policy;
}

/** Creates the stream, or brings an existing one to `config` — writing only when something differs. */
async function ensureStream(jsm: JetStreamManager, replicas: number | undefined, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  let current: StreamConfig;
  try {
    current = (await jsm.streams.info(config.name)).config;
  } catch (error) {
    if (!isNotFound(error, 'stream')) throw error;
    await asProvisioner(`create stream ${config.name}`, () => jsm.streams.add({ ...config, num_replicas: replicas ?? 1 }));
    return;
  }
  const wanted = { ...config, ...(replicas !== undefined && { num_replicas: replicas }) };
  // Roles start together; rewriting a stream's config they all agree on would only make them contend, and a
  // deployment may not let them write it at all (docker-compose.yml: the migrate role provisions).
  if (differsFrom(current, wanted)) await asProvisioner(`update stream ${config.name}`, () => jsm.streams.update(config.name, { ...current, ...wanted }));
}

/** Whether `current` differs from `wanted` in any field `wanted` sets. */
const differsFrom = <T extends object>(current: T, wanted: Partial<T>) =>
  (Object.keys(wanted) as (keyof T)[]).some((key) => JSON.stringify(current[key]) !== JSON.stringify(wanted[key]));

/**
 * A change to a stream or consumer. A NATS user without the right to make it (docker-compose.yml gives it to
 * the migrate role alone) is told what was missing and how to get it.
 */
async function asProvisioner<T>(what: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if ((error as { code?: unknown }).code !== ErrorCode.PermissionsViolation) throw error;
    throw new Error(
      `NATS refused to ${what}: ${(error as Error).message}. This NATS user may not change the streams; ` +
        'run `--role migrate` of this release first (it provisions them with NATS_STREAM_REPLICAS), then start the role again.',
      { cause: error },
    );
  }
}

async function ensureDurableConsumer(jsm: JetStreamManager, names: StreamNames, { name: durable, receives }: DurableConsumer, policy: ConsumerPolicy): Promise<void> {
  // Only the fields the server lets us change on an existing consumer.
  const mutable = {
    description: `durable ${durable} of ${names.stream}`,
    ack_wait: nanos(policy.backoffMs[0]!),
    max_deliver: policy.maxDeliver,
    backoff: policy.backoffMs.map((ms) => nanos(ms)),
    max_ack_pending: policy.maxAckPending,
    filter_subjects: consumerFilterSubjects(names, durable, receives),
  };
  try {
    // As for streams: a consumer already as wanted is left alone.
    if (!differsFrom((await jsm.consumers.info(names.stream, durable)).config, mutable)) return;
  } catch (error) {
    if (!isNotFound(error, 'consumer')) throw error;
    try {
      await asProvisioner(`create consumer ${durable} of ${names.stream}`, () =>
        jsm.consumers.add(names.stream, {
          ...mutable,
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
        }),
      );
      return;
    } catch (addError) {
      // Another process created it between our info and add: fall through and update it.
      if (!String((addError as Error).message).includes('already exists')) throw addError;
    }
  }
  await asProvisioner(`update consumer ${durable} of ${names.stream}`, () => jsm.consumers.update(names.stream, durable, mutable));
}

const isNotFound = (error: unknown, what: 'stream' | 'consumer') => String((error as Error).message).includes(`${what} not found`);

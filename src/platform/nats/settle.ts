/**
 * How the consume loop settles a message once its fate is known: `ack` after the work (confirmed by the
 * server), `nak` with the backoff step of its delivery, or a dead-letter record followed by `term`.
 */
import type { JsMsg, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { ConsumedEvent } from './consumed-event.ts';
import { headersToRecord, oneLine, publishDeadLetter } from './dead-letter-record.ts';
import { PermanentError } from './handler-errors.ts';
import type { StreamNames } from './provision.ts';
import type { ConsumerMetrics } from './consumer-metrics.ts';
import { redactPersonalData } from '../redact.ts';

/** Redelivery facts of the consumer, read from its server config. */
export interface DeliveryPolicy {
  /** Deliveries before the server gives up; -1: unlimited. */
  maxDeliver: number;
  /** `nak` delay after delivery n is step n-1; the last step repeats. */
  backoffMs: number[];
  /** How often messages in hand report progress, well inside their ack deadline. */
  heartbeatMs: number;
}

/** A message in hand with its validated event. */
export interface Pulled {
  msg: JsMsg;
  consumed: ConsumedEvent;
}

const nanosToMs = (n: number) => Math.round(n / 1_000_000);

export function policyFrom(config: { max_deliver?: number; backoff?: number[]; ack_wait?: number }, override?: number[]): DeliveryPolicy {
  const serverBackoff = (config.backoff ?? []).map(nanosToMs);
  const ackWaitMs = config.ack_wait ? nanosToMs(config.ack_wait) : 30_000;
  const backoffMs = override?.length ? override : serverBackoff.length ? serverBackoff : [ackWaitMs];
  // The server's deadline for a delivery is its backoff step (or ack_wait): report progress well within it.
  const deadline = Math.min(ackWaitMs, ...(serverBackoff.length ? serverBackoff : [ackWaitMs]));
  return { maxDeliver: config.max_deliver ?? -1, backoffMs, heartbeatMs: Math.max(50, Math.floor(deadline / 3)) };
}

export const backoffFor = (policy: DeliveryPolicy, deliveries: number) =>
  policy.backoffMs[Math.min(Math.max(deliveries - 1, 0), policy.backoffMs.length - 1)] ?? 1_000;

export interface SettlerDeps {
  nc: NatsConnection;
  names: StreamNames;
  consumer: string;
  logger: Logger;
  /** The policy now in force (it is re-read when the loop restarts). */
  policy: () => DeliveryPolicy;
  /** Fault injection for tests: runs after the work and before the acks. */
  beforeAck?: (events: ConsumedEvent[]) => Promise<void>;
  metrics: ConsumerMetrics;
}

/** When the stream stored the message, in ms since the epoch. */
const publishedAtMs = (msg: JsMsg) => Math.floor(msg.info.timestampNanos / 1_000_000);

export function createSettler(deps: SettlerDeps) {
  const success = async (done: Pulled[]) => {
    try {
      await deps.beforeAck?.(done.map((p) => p.consumed));
      if (deps.nc.isClosed()) throw new Error('connection closed before the ack');
      // ackAck waits for the server's confirmation; a lost ack only means a redelivery the handler dedupes.
      await Promise.all(done.map(({ msg }) => msg.ackAck({ timeout: 5_000 })));
      for (const { msg } of done) deps.metrics.settled('done', publishedAtMs(msg));
    } catch (error) {
      deps.logger.warn({ err: error, seqs: done.map((p) => p.msg.seq) }, 'ack not confirmed; the message may be redelivered');
    }
  };

  const failure = async ({ msg, consumed }: Pulled, error: unknown) => {
    const message = (error as Error)?.message ?? String(error);
    if (error instanceof PermanentError) return deadLetter(msg, 'poison', message, consumed.event.id);
    if (deps.policy().maxDeliver > 0 && consumed.deliveries >= deps.policy().maxDeliver) {
      return deadLetter(msg, 'exhausted', `${message} (gave up after ${consumed.deliveries} deliveries)`, consumed.event.id);
    }
    // A handler may know better when to come back (e.g. when another attempt's lease ends).
    const hint = Number((error as { retryAfterMs?: unknown })?.retryAfterMs);
    const delay = Math.max(backoffFor(deps.policy(), consumed.deliveries), Number.isFinite(hint) ? hint : 0);
    deps.logger.warn(
      { eventId: consumed.event.id, checkoutId: consumed.event.checkoutId, seq: msg.seq, deliveries: consumed.deliveries, err: error, retryInMs: delay },
      'handler failed; will retry',
    );
    msg.nak(delay);
    deps.metrics.settled('retry');
  };

  const deadLetter = async (msg: JsMsg, cause: 'poison' | 'exhausted', rawReason: string, eventId: string | null) => {
    // Reasons quote outside errors, which may name a customer: only the redacted text is kept or logged.
    const reason = redactPersonalData(rawReason);
    try {
      const dlqSeq = await publishDeadLetter(deps.nc.jetstream(), deps.names, {
        kind: 'dead_letter',
        consumer: deps.consumer,
        stream: deps.names.stream,
        streamSeq: msg.seq,
        subject: msg.subject,
        deliveries: msg.info.redeliveryCount,
        reason: oneLine(reason, 2_000),
        cause,
        eventId,
        headers: headersToRecord(msg.headers),
        data: Buffer.from(msg.data).toString('base64'),
        at: new Date().toISOString(),
      });
      msg.term(oneLine(reason));
      deps.metrics.settled('dead_letter');
      deps.metrics.deadLettered(cause);
      deps.logger.error({ seq: msg.seq, eventId, dlqSeq, cause, reason: oneLine(reason) }, 'message dead-lettered');
    } catch (error) {
      // Never `term` without a record: retry later; the server's advisory is the last safety net.
      deps.logger.error({ err: error, seq: msg.seq }, 'could not write the dead-letter record; retrying the message');
      msg.nak(backoffFor(deps.policy(), msg.info.redeliveryCount));
      deps.metrics.settled('retry');
    }
  };

  return { success, failure, deadLetter };
}

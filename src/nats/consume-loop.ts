/**
 * The durable consume loop: pulls from a durable JetStream consumer, validates each message, runs the handler
 * and settles the message — `ack` after the work, `nak(delay)` on a transient failure, a dead-letter record and
 * `term` when a message can never succeed or has used its last delivery. Restarts itself when the iterator
 * ends or fails; `stop()` stops pulling, lets in-flight work finish and hands buffered messages back.
 */
import { ConsumerEvents, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { CheckoutEvent } from '../contracts/events.ts';
import { inBatches } from './batches.ts';
import { decodeCheckoutEvent } from './decode-event.ts';
import { REPLAY_OF_HEADER, headersToRecord, oneLine, publishDeadLetter } from './dead-letter-record.ts';
import type { StreamNames } from './provision.ts';

/** A handler error that retrying cannot fix: the message is dead-lettered at once. */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

/** A transient handler error that says when to try again. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export interface ConsumedEvent {
  event: CheckoutEvent;
  streamSeq: number;
  subject: string;
  /** 1 on the first delivery. */
  deliveries: number;
  /** The dead-letter sequence this message replays, when it is a replay. */
  replayOf: string | null;
}

interface LoopBase {
  nc: NatsConnection;
  names: StreamNames;
  /** Durable consumer name. */
  consumer: string;
  logger: Logger;
  /** Messages pulled and handled together (default 1). */
  batchSize?: number;
  /** How long to wait for a batch to fill once its first message is here (default 50 ms). */
  lingerMs?: number;
  /** `nak` delays; defaults to the consumer's backoff. */
  backoffMs?: number[];
  /** Pause before restarting after the iterator ended or failed (default 1 s, doubling to 15 s). */
  restartDelayMs?: number;
  /** Run before each (re)start, e.g. to re-create a deleted consumer. */
  ensure?: () => Promise<void>;
  /** Fault injection for tests: runs after the work and before the acks. */
  beforeAck?: (events: ConsumedEvent[]) => Promise<void>;
}

export type ConsumeLoopOptions = LoopBase &
  (
    | { /** One message at a time; a batch's messages run concurrently. */ handle: (event: ConsumedEvent) => Promise<void> }
    | { /** All or nothing; on failure each message is retried alone so one bad event cannot sink its batch. */ handleBatch: (events: ConsumedEvent[]) => Promise<void> }
  );

export interface ConsumeLoop {
  stop(): Promise<void>;
}

interface Pulled {
  msg: JsMsg;
  consumed: ConsumedEvent;
}

interface Policy {
  maxDeliver: number;
  backoffMs: number[];
  heartbeatMs: number;
}

const nanosToMs = (n: number) => Math.round(n / 1_000_000);

export async function startConsumeLoop(options: ConsumeLoopOptions): Promise<ConsumeLoop> {
  const { nc, names, consumer, batchSize = 1, lingerMs = 50 } = options;
  const logger = options.logger.child({ consumer, stream: names.stream });
  const js = nc.jetstream();
  let stopping = false;
  let messages: ConsumerMessages | null = null;
  let wake: () => void = () => undefined;

  // Resolves once the first subscription is open, so callers know the consumer exists and messages flow.
  let started!: (error?: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => (started = (error) => (error ? reject(error) : resolve())));

  const run = async () => {
    let delay = options.restartDelayMs ?? 1_000;
    let first = true;
    while (!stopping) {
      try {
        await options.ensure?.();
        const pull = await js.consumers.get(names.stream, consumer);
        const info = await pull.info(true);
        const policy = policyFrom(info.config, options.backoffMs);
        messages = await pull.consume({ max_messages: Math.max(batchSize, 1) });
        void watchStatus(messages, logger);
        if (first) started();
        first = false;
        delay = options.restartDelayMs ?? 1_000;
        for await (const batch of inBatches(messages, batchSize, lingerMs)) {
          if (stopping) {
            // Pulled but not started: hand them back now instead of letting their ack deadline run out.
            for (const msg of batch) msg.nak();
            continue;
          }
          await processBatch(batch, policy);
        }
        if (!stopping) logger.warn('consumer iterator ended; restarting');
      } catch (error) {
        if (first) {
          started(error);
          return;
        }
        if (stopping) break;
        logger.error({ err: error, retryInMs: delay }, 'consume loop failed; restarting');
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => (clearTimeout(timer), resolve());
      });
      delay = Math.min(delay * 2, 15_000);
    }
  };

  const processBatch = async (batch: JsMsg[], policy: Policy) => {
    const valid: Pulled[] = [];
    for (const msg of batch) {
      const decoded = decodeCheckoutEvent(msg.data);
      if (decoded.ok) {
        valid.push({ msg, consumed: toConsumed(msg, decoded.event) });
      } else {
        await deadLetter(msg, 'poison', decoded.reason, decoded.eventId, policy);
      }
    }
    if (valid.length === 0) return;
    const heartbeat = setInterval(() => valid.forEach(({ msg }) => msg.working()), policy.heartbeatMs);
    try {
      if ('handleBatch' in options) {
        try {
          await options.handleBatch(valid.map((p) => p.consumed));
          await settleSuccess(valid);
        } catch (error) {
          if (valid.length === 1) return await settleFailure(valid[0]!, error, policy);
          logger.warn({ err: error, size: valid.length }, 'batch failed; retrying its messages one by one');
          for (const pulled of valid) await runOne(pulled, (e) => options.handleBatch([e]), policy);
        }
      } else {
        await Promise.all(valid.map((pulled) => runOne(pulled, options.handle, policy)));
      }
    } finally {
      clearInterval(heartbeat);
    }
  };

  const runOne = async (pulled: Pulled, work: (e: ConsumedEvent) => Promise<void>, policy: Policy) => {
    try {
      await work(pulled.consumed);
    } catch (error) {
      return settleFailure(pulled, error, policy);
    }
    await settleSuccess([pulled]);
  };

  const settleSuccess = async (done: Pulled[]) => {
    try {
      await options.beforeAck?.(done.map((p) => p.consumed));
      // ackAck waits for the server's confirmation; a lost ack only means a redelivery the handler dedupes.
      await Promise.all(done.map(({ msg }) => msg.ackAck({ timeout: 5_000 })));
    } catch (error) {
      logger.warn({ err: error, seqs: done.map((p) => p.msg.seq) }, 'ack not confirmed; the message may be redelivered');
    }
  };

  const settleFailure = async ({ msg, consumed }: Pulled, error: unknown, policy: Policy) => {
    const message = (error as Error)?.message ?? String(error);
    const ids = { eventId: consumed.event.id, checkoutId: consumed.event.checkoutId, seq: msg.seq, deliveries: consumed.deliveries };
    if (error instanceof PermanentError) {
      return deadLetter(msg, 'poison', message, consumed.event.id, policy);
    }
    if (policy.maxDeliver > 0 && consumed.deliveries >= policy.maxDeliver) {
      return deadLetter(msg, 'exhausted', `${message} (gave up after ${consumed.deliveries} deliveries)`, consumed.event.id, policy);
    }
    // A handler may know better when to come back (e.g. when another attempt's lease ends).
    const hint = Number((error as { retryAfterMs?: unknown })?.retryAfterMs);
    const delay = Math.max(backoffFor(policy, consumed.deliveries), Number.isFinite(hint) ? hint : 0);
    logger.warn({ ...ids, err: error, retryInMs: delay }, 'handler failed; will retry');
    msg.nak(delay);
  };

  const deadLetter = async (msg: JsMsg, cause: 'poison' | 'exhausted', reason: string, eventId: string | null, policy: Policy) => {
    try {
      const dlqSeq = await publishDeadLetter(js, names, {
        kind: 'dead_letter',
        consumer,
        stream: names.stream,
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
      logger.error({ seq: msg.seq, eventId, dlqSeq, cause, reason: oneLine(reason) }, 'message dead-lettered');
    } catch (error) {
      // Never `term` without a record: retry later, the server's advisory is the last safety net.
      logger.error({ err: error, seq: msg.seq }, 'could not write the dead-letter record; retrying the message');
      msg.nak(backoffFor(policy, msg.info.redeliveryCount));
    }
  };

  const loop = run();
  await ready;
  return {
    async stop() {
      stopping = true;
      wake();
      await messages?.close().catch(() => undefined);
      await loop;
    },
  };
}

function toConsumed(msg: JsMsg, event: CheckoutEvent): ConsumedEvent {
  return {
    event,
    streamSeq: msg.seq,
    subject: msg.subject,
    deliveries: msg.info.redeliveryCount,
    replayOf: msg.headers?.get(REPLAY_OF_HEADER) || null,
  };
}

function policyFrom(config: { max_deliver?: number; backoff?: number[]; ack_wait?: number }, override?: number[]): Policy {
  const serverBackoff = (config.backoff ?? []).map(nanosToMs);
  const ackWaitMs = config.ack_wait ? nanosToMs(config.ack_wait) : 30_000;
  const backoffMs = override?.length ? override : serverBackoff.length ? serverBackoff : [ackWaitMs];
  // The server's deadline for a delivery is its backoff step (or ack_wait): report progress well within it.
  const deadline = Math.min(ackWaitMs, ...(serverBackoff.length ? serverBackoff : [ackWaitMs]));
  return { maxDeliver: config.max_deliver ?? -1, backoffMs, heartbeatMs: Math.max(50, Math.floor(deadline / 3)) };
}

const backoffFor = (policy: Policy, deliveries: number) =>
  policy.backoffMs[Math.min(Math.max(deliveries - 1, 0), policy.backoffMs.length - 1)] ?? 1_000;

async function watchStatus(messages: ConsumerMessages, logger: Logger): Promise<void> {
  try {
    for await (const status of await messages.status()) {
      if (status.type === ConsumerEvents.ConsumerDeleted) {
        logger.warn('consumer deleted on the server; restarting the loop to re-create it');
        await messages.close();
      } else if (status.type === ConsumerEvents.ConsumerNotFound || status.type === ConsumerEvents.StreamNotFound) {
        logger.warn({ status: status.type, attempts: status.data }, 'consumer not found');
        if (Number(status.data) >= 3) await messages.close();
      } else if (status.type === ConsumerEvents.HeartbeatsMissed) {
        logger.warn({ missed: status.data }, 'server heartbeats missed');
      }
    }
  } catch {
    // The status iterator ends with the messages; nothing to do.
  }
}

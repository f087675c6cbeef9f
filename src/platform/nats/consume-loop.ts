/**
 * The durable consume loop: pulls from a durable JetStream consumer, validates each message, runs the handler
 * and settles the message — `ack` after the work, `nak(delay)` on a transient failure, a dead-letter record and
 * `term` when a message can never succeed or has used its last delivery. Restarts itself when pulling fails;
 * `stop()` stops pulling, lets in-flight work finish and hands messages not yet started back at once.
 *
 * It pulls with `fetch` sized to its free capacity rather than `consume`, so it never holds a message it has
 * not seen: every message in hand gets progress reports (`working`) until settled, and a competing instance
 * never receives a redelivery of a message that was merely waiting in this one's buffer.
 *
 * The work on one message is a span continuing the trace its publisher sent in the headers; the work on a
 * batch is one span linked to each message's.
 */
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Consumer, ConsumerMessages, JsMsg, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { contextFromHeaders, inSpan } from '../telemetry/tracing.ts';
import type { ReceivedCheckoutEvent } from '../../contracts/events.ts';
import type { ConsumedEvent } from './consumed-event.ts';
import { decodeCheckoutEvent } from './decode-event.ts';
import { REPLAY_OF_HEADER } from './dead-letter-record.ts';
import type { StreamNames } from './provision.ts';
import { NO_CONSUMER_METRICS, type ConsumerMetrics } from './consumer-metrics.ts';
import { createSettler, policyFrom, type DeliveryPolicy, type Pulled } from './settle.ts';

export { PermanentError, RetryLaterError } from './handler-errors.ts';
export type { ConsumedEvent } from './consumed-event.ts';


interface LoopBase {
  nc: NatsConnection;
  names: StreamNames;
  /** Durable consumer name. */
  consumer: string;
  logger: Logger;
  /** `handle`: messages handled concurrently; `handleBatch`: messages per batch (default 1). */
  batchSize?: number;
  /** How long a short batch waits for more messages (default 0: none; capped well inside the ack deadline). */
  lingerMs?: number;
  /** `nak` delays; defaults to the consumer's backoff. */
  backoffMs?: number[];
  /** Pause before restarting after pulling failed (default 1 s, doubling to 15 s). */
  restartDelayMs?: number;
  /** How long one pull request waits for messages (default 10 s). */
  fetchExpiresMs?: number;
  /** Run before each (re)start, e.g. to re-create a deleted consumer. */
  ensure?: () => Promise<void>;
  /** Fault injection for tests: runs after the work and before the acks. */
  beforeAck?: (events: ConsumedEvent[]) => Promise<void>;
  /** Where settled messages, redeliveries and effect times are counted. */
  metrics?: ConsumerMetrics;
}

export type ConsumeLoopOptions = LoopBase &
  (
    | { /** One message at a time, up to `batchSize` concurrently. */ handle: (event: ConsumedEvent) => Promise<void> }
    | { /** All or nothing; on failure each message is retried alone so one bad event cannot sink its batch. */ handleBatch: (events: ConsumedEvent[]) => Promise<void> }
  );

export interface ConsumeLoop {
  stop(): Promise<void>;
}

/** A wake-up call: `wait()` resolves at the next `notify()`. */
class Signal {
  #waiters: (() => void)[] = [];
  wait = () => new Promise<void>((resolve) => this.#waiters.push(resolve));
  notify = () => this.#waiters.splice(0).forEach((resolve) => resolve());
}

const sleep = (ms: number, signal: Signal) => Promise.race([new Promise((r) => setTimeout(r, ms)), signal.wait()]);

export async function startConsumeLoop(options: ConsumeLoopOptions): Promise<ConsumeLoop> {
  const { nc, names, consumer } = options;
  const batchSize = Math.max(1, options.batchSize ?? 1);
  const batchMode = 'handleBatch' in options;
  // Batch mode keeps the next batch in hand while one is being written; per-message mode runs `batchSize` at once.
  const capacity = batchMode ? batchSize * 2 : batchSize;
  const logger = options.logger.child({ consumer, stream: names.stream });
  const js = nc.jetstream();

  let stopping = false;
  let readerDone = false;
  let policy: DeliveryPolicy = { maxDeliver: -1, backoffMs: [1_000], heartbeatMs: 1_000 };
  let current: ConsumerMessages | null = null;
  const inHand = new Set<JsMsg>(); // pulled and not yet settled: these get progress reports
  const queue: JsMsg[] = []; // pulled and not yet started
  const running = new Set<Promise<void>>();
  const arrived = new Signal();
  const settled = new Signal();
  const stopped = new Signal();

  let started!: (error?: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => (started = (error) => (error ? reject(error) : resolve())));

  let heartbeat: NodeJS.Timeout | null = null;
  const setPolicy = (next: DeliveryPolicy) => {
    policy = next;
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = setInterval(() => inHand.forEach((msg) => msg.working()), next.heartbeatMs);
  };
  const stopHeartbeat = () => heartbeat && clearInterval(heartbeat);

  const metrics = options.metrics ?? NO_CONSUMER_METRICS;
  const settler = createSettler({ nc, names, consumer, logger, policy: () => policy, beforeAck: options.beforeAck, metrics });
  /** Runs the effect, timing it. */
  const timed = async (work: () => Promise<void>) => {
    const started = performance.now();
    try {
      await work();
    } finally {
      metrics.effect((performance.now() - started) / 1_000);
    }
  };

  /** Runs the work on `pulled` in a consumer span: the child of the publish span for one message, linked to each for a batch. */
  const traced = (pulled: Pulled[], work: () => Promise<void>) => {
    const contexts = pulled.map(({ msg }) => contextFromHeaders((key) => msg.headers?.get(key) || undefined));
    const attributes = { 'messaging.system': 'nats', 'messaging.consumer.group.name': consumer, 'messaging.batch.message_count': pulled.length };
    if (pulled.length === 1) {
      const { event, subject } = pulled[0]!.consumed;
      const one = { ...attributes, 'messaging.destination.name': subject, 'messaging.message.id': event.id, 'checkout.id': event.checkoutId };
      return inSpan(`process ${consumer}`, { kind: SpanKind.CONSUMER, attributes: one }, work, contexts[0]);
    }
    const links = contexts.flatMap((c) => trace.getSpanContext(c) ?? []).map((spanContext) => ({ context: spanContext }));
    return inSpan(`process ${consumer}`, { kind: SpanKind.CONSUMER, attributes, links }, work, ROOT_CONTEXT);
  };

  const settle = (msg: JsMsg) => {
    inHand.delete(msg);
    settled.notify();
  };

  const read = async () => {
    let delay = options.restartDelayMs ?? 1_000;
    let first = true;
    while (!stopping) {
      try {
        await options.ensure?.();
        const pull: Consumer = await js.consumers.get(names.stream, consumer);
        setPolicy(policyFrom((await pull.info(true)).config, options.backoffMs));
        if (first) started();
        first = false;
        while (!stopping) {
          const room = capacity - inHand.size;
          if (room <= 0) {
            await Promise.race([settled.wait(), stopped.wait()]);
            continue;
          }
          current = await pull.fetch({ max_messages: room, expires: options.fetchExpiresMs ?? 10_000 });
          for await (const msg of current) {
            if (msg.info.redeliveryCount > 1) metrics.redelivered();
            inHand.add(msg);
            queue.push(msg);
            arrived.notify();
          }
          current = null;
          delay = options.restartDelayMs ?? 1_000;
        }
      } catch (error) {
        current = null;
        if (first) {
          started(error);
          break;
        }
        if (stopping) break;
        if (nc.isClosed()) {
          // Nothing can come back on a closed connection; the owner will notice and stop or replace us.
          logger.error({ err: error }, 'NATS connection closed; the consume loop ends');
          break;
        }
        logger.error({ err: error, retryInMs: delay }, 'pulling failed; restarting the consume loop');
        await sleep(delay, stopped);
        delay = Math.min(delay * 2, 15_000);
      }
    }
    readerDone = true;
    arrived.notify();
  };

  const dispatch = async () => {
    for (;;) {
      if (stopping) {
        // Pulled but not started: hand them back now instead of letting their ack deadline run out.
        for (const msg of queue.splice(0)) {
          msg.nak();
          settle(msg);
        }
        if (readerDone) break;
      }
      if (queue.length === 0) {
        if (readerDone) break;
        await arrived.wait();
        continue;
      }
      if (!batchMode) {
        const msg = queue.shift()!;
        const task = processBatch([msg]).finally(() => running.delete(task));
        running.add(task);
        continue;
      }
      // No linger by default: a batch is what has arrived, and while it is written the next one gathers, so
      // batches grow with the load and a quiet stream's event is not held back.
      const linger = Math.min(options.lingerMs ?? 0, policy.heartbeatMs);
      if (linger > 0 && queue.length < batchSize) await sleep(linger, stopped);
      if (stopping) continue;
      await processBatch(queue.splice(0, batchSize));
    }
    await Promise.all(running);
  };

  const processBatch = async (batch: JsMsg[]) => {
    const valid: Pulled[] = [];
    try {
      for (const msg of batch) {
        const decoded = decodeCheckoutEvent(msg.data);
        if (decoded.ok) valid.push({ msg, consumed: toConsumed(msg, decoded.event) });
        else await settler.deadLetter(msg, 'poison', decoded.reason, decoded.eventId);
      }
      if (valid.length === 0) return;
      if (!('handleBatch' in options)) return await runOne(valid[0]!, options.handle);
      try {
        await traced(valid, () => timed(() => options.handleBatch(valid.map((p) => p.consumed))));
      } catch (error) {
        if (valid.length === 1) return await settler.failure(valid[0]!, error);
        logger.warn({ err: error, size: valid.length }, 'batch failed; retrying its messages one by one');
        for (const pulled of valid) await runOne(pulled, (e) => options.handleBatch([e]));
        return;
      }
      await settler.success(valid);
    } catch (error) {
      // Settling itself failed (e.g. the connection closed): the server redelivers after the ack deadline.
      logger.error({ err: error, seqs: batch.map((m) => m.seq) }, 'could not settle messages; they will be redelivered');
    } finally {
      batch.forEach(settle);
    }
  };

  const runOne = async (pulled: Pulled, work: (e: ConsumedEvent) => Promise<void>) => {
    try {
      await traced([pulled], () => timed(() => work(pulled.consumed)));
    } catch (error) {
      return settler.failure(pulled, error);
    }
    await settler.success([pulled]);
  };

  const reader = read();
  const processor = dispatch();
  try {
    await ready;
  } catch (error) {
    stopping = true;
    stopHeartbeat();
    await Promise.all([reader, processor]);
    throw error;
  }
  return {
    async stop() {
      stopping = true;
      stopped.notify();
      arrived.notify();
      await current?.close().catch(() => undefined);
      await reader;
      await processor;
      stopHeartbeat();
    },
  };
}

function toConsumed(msg: JsMsg, event: ReceivedCheckoutEvent): ConsumedEvent {
  return {
    event,
    streamSeq: msg.seq,
    subject: msg.subject,
    deliveries: msg.info.redeliveryCount,
    replayOf: msg.headers?.get(REPLAY_OF_HEADER) || null,
  };
}

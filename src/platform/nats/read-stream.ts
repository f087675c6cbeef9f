/**
 * Reads a stream from its first message to the last one present when the read starts, through an ephemeral
 * ordered consumer (no durable state left behind). Used to rebuild read models and to list dead letters.
 */
import type { JsMsg, NatsConnection } from 'nats';

export async function* readStream(nc: NatsConnection, stream: string, options: { batch?: number } = {}): AsyncGenerator<JsMsg> {
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  // The snapshot's end: messages published while we read belong to the live consumers, not to this read.
  const last = state.last_seq;
  if (state.messages === 0) return;
  const consumer = await nc.jetstream().consumers.get(stream);
  const messages = await consumer.consume({ max_messages: options.batch ?? 256 });
  try {
    for await (const msg of messages) {
      if (msg.seq > last) break;
      yield msg;
      // `pending` is what is left after this message, so 0 ends the read even when the tail was deleted.
      if (msg.seq >= last || msg.info.pending === 0) break;
    }
  } finally {
    await messages.close().catch(() => undefined);
  }
}

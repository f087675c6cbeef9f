/**
 * The dead-letter record a consumer writes before it gives up on a message, and the server advisories that
 * land beside it in the dead-letter stream. The record carries the original bytes and headers, so a dead
 * letter survives the main stream's retention and can be replayed as it was.
 */
import { headers as natsHeaders, type JetStreamClient, type MsgHdrs } from 'nats';
import { z } from 'zod';
import { deadLetterStreamName, deadLetterSubjectFor, type StreamNames } from './provision.ts';

/** Header on a replayed message: the dead-letter sequence it came from. */
export const REPLAY_OF_HEADER = 'Checkout-Replay-Of';
/** Header on a replayed message: the subject it was first published on. */
export const ORIGINAL_SUBJECT_HEADER = 'Checkout-Original-Subject';

export const deadLetterRecordSchema = z.object({
  kind: z.literal('dead_letter'),
  consumer: z.string(),
  stream: z.string(),
  streamSeq: z.number().int(),
  subject: z.string(),
  /** Delivery count when the consumer gave up. */
  deliveries: z.number().int(),
  reason: z.string(),
  /** `poison`: could never be processed (bad JSON, schema, version); `exhausted`: retries used up. */
  cause: z.enum(['poison', 'exhausted']),
  eventId: z.string().nullable(),
  headers: z.record(z.string(), z.array(z.string())),
  /** The original payload, base64, because a poison message need not be valid UTF-8. */
  data: z.string(),
  at: z.string(),
});
export type DeadLetterRecord = z.infer<typeof deadLetterRecordSchema>;

/** The fields we use of `io.nats.jetstream.advisory.v1.max_deliver` and `…terminated`. */
export const consumerAdvisorySchema = z.object({
  type: z.string(),
  timestamp: z.string(),
  stream: z.string(),
  consumer: z.string(),
  stream_seq: z.number().int(),
  deliveries: z.number().int(),
  reason: z.string().optional(),
});
export type ConsumerAdvisory = z.infer<typeof consumerAdvisorySchema>;

/** Header-safe text: header values cannot hold line breaks, and reasons are for humans, so keep them short. */
export const oneLine = (text: string, max = 500) => text.replace(/[\r\n]+/g, ' ').slice(0, max);

export const headersToRecord = (h: MsgHdrs | undefined): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  if (!h) return out;
  for (const key of h.keys()) out[key] = h.values(key);
  return out;
};

export const recordToHeaders = (record: Record<string, string[]>, skip: (key: string) => boolean = () => false): MsgHdrs => {
  const h = natsHeaders();
  for (const [key, values] of Object.entries(record)) {
    if (skip(key)) continue;
    for (const value of values) h.append(key, value);
  }
  return h;
};

/**
 * Stores a dead-letter record. The msg id `<consumer>:<streamSeq>` makes a repeat (a crash between this
 * publish and the `term`) a duplicate the stream drops.
 */
export async function publishDeadLetter(js: JetStreamClient, names: StreamNames, record: DeadLetterRecord): Promise<number> {
  const valid = deadLetterRecordSchema.parse(record);
  const ack = await js.publish(deadLetterSubjectFor(names, valid.consumer), JSON.stringify(valid), {
    msgID: `${valid.consumer}:${valid.streamSeq}`,
    expect: { streamName: deadLetterStreamName(names) },
  });
  return ack.seq;
}

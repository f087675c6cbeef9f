/**
 * The dead letters as an operator sees them: list, show, replay and purge. A dead letter is one (consumer,
 * stream sequence): the record the consumer wrote and the server's advisories about the same message are
 * merged, the record winning because it holds the original bytes and the real reason.
 */
import type { NatsConnection } from 'nats';
import { decodeCheckoutEvent } from './decode-event.ts';
import {
  ORIGINAL_SUBJECT_HEADER,
  REPLAY_OF_HEADER,
  consumerAdvisorySchema,
  deadLetterRecordSchema,
  recordToHeaders,
  headersToRecord,
} from './dead-letter-record.ts';
import { deadLetterStreamName, retrySubjectFor, type StreamNames } from './provision.ts';
import { readStream } from './read-stream.ts';

export interface DeadLetter {
  /** The sequence in the dead-letter stream operators refer to (`dlq show <seq>`). */
  dlqSeq: number;
  /** Every dead-letter stream message about this one original (record and advisories); replay removes them all. */
  dlqSeqs: number[];
  source: 'record' | 'max_deliveries' | 'terminated';
  consumer: string;
  stream: string;
  streamSeq: number;
  /** Known from the record; for an advisory only once the original is fetched (`showDeadLetter`). */
  subject: string | null;
  eventId: string | null;
  reason: string;
  deliveries: number;
  at: string;
}

export interface DeadLetterDetail extends DeadLetter {
  original: { subject: string; headers: Record<string, string[]>; data: Uint8Array } | null;
  /** Why the original is unavailable (e.g. past the stream's retention). */
  originalMissing: string | null;
}

export interface ReplayResult {
  dlqSeq: number;
  consumer: string;
  subject: string;
  seq: number;
  /** The stream already held this replay (it was replayed before, inside the duplicate window). */
  duplicate: boolean;
}

export interface DeadLetterDeps {
  nc: NatsConnection;
  names: StreamNames;
}

interface Parsed {
  entry: DeadLetter;
  data: Uint8Array | null;
  headers: Record<string, string[]>;
}

async function readDeadLetters({ nc, names }: DeadLetterDeps): Promise<Map<string, Parsed>> {
  const groups = new Map<string, Parsed>();
  for await (const msg of readStream(nc, deadLetterStreamName(names))) {
    const parsed = parseDlqMessage(msg.seq, msg.subject, msg.data);
    if (!parsed) continue;
    const key = `${parsed.entry.consumer}\u0000${parsed.entry.streamSeq}`;
    const existing = groups.get(key);
    if (!existing) {
      groups.set(key, parsed);
      continue;
    }
    const seqs = [...existing.entry.dlqSeqs, msg.seq];
    // A record beats an advisory; among equals the first keeps its place.
    const winner = existing.entry.source !== 'record' && parsed.entry.source === 'record' ? parsed : existing;
    groups.set(key, { ...winner, entry: { ...winner.entry, dlqSeqs: seqs } });
  }
  return groups;
}

function parseDlqMessage(seq: number, subject: string, data: Uint8Array): Parsed | null {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return null;
  }
  const record = deadLetterRecordSchema.safeParse(json);
  if (record.success) {
    const r = record.data;
    return {
      entry: {
        dlqSeq: seq,
        dlqSeqs: [seq],
        source: 'record',
        consumer: r.consumer,
        stream: r.stream,
        streamSeq: r.streamSeq,
        subject: r.subject,
        eventId: r.eventId,
        reason: r.reason,
        deliveries: r.deliveries,
        at: r.at,
      },
      data: Buffer.from(r.data, 'base64'),
      headers: r.headers,
    };
  }
  const advisory = consumerAdvisorySchema.safeParse(json);
  if (!advisory.success) return null;
  const a = advisory.data;
  const maxDeliveries = subject.includes('.MAX_DELIVERIES.');
  return {
    entry: {
      dlqSeq: seq,
      dlqSeqs: [seq],
      source: maxDeliveries ? 'max_deliveries' : 'terminated',
      consumer: a.consumer,
      stream: a.stream,
      streamSeq: a.stream_seq,
      subject: null,
      eventId: null,
      reason: maxDeliveries
        ? `no acknowledgement after ${a.deliveries} deliveries (the consumer crashed or timed out each time)`
        : `terminated by the consumer${a.reason ? `: ${a.reason}` : ''}`,
      deliveries: a.deliveries,
      at: a.timestamp,
    },
    data: null,
    headers: {},
  };
}

/** Every open dead letter, oldest first. */
export async function listDeadLetters(deps: DeadLetterDeps): Promise<DeadLetter[]> {
  return [...(await readDeadLetters(deps)).values()].map((p) => p.entry).sort((a, b) => a.dlqSeq - b.dlqSeq);
}

async function findDeadLetter(deps: DeadLetterDeps, dlqSeq: number): Promise<DeadLetterDetail> {
  const groups = await readDeadLetters(deps);
  const found = [...groups.values()].find((p) => p.entry.dlqSeqs.includes(dlqSeq));
  if (!found) throw new DeadLetterNotFoundError(`no dead letter with sequence ${dlqSeq} in ${deadLetterStreamName(deps.names)}`);
  const { entry } = found;
  if (found.data) {
    return { ...entry, original: { subject: entry.subject ?? '', headers: found.headers, data: found.data }, originalMissing: null };
  }
  // An advisory names the original by sequence; it is still in the main stream unless retention removed it.
  try {
    const jsm = await deps.nc.jetstreamManager();
    const stored = await jsm.streams.getMessage(entry.stream, { seq: entry.streamSeq });
    const decoded = decodeCheckoutEvent(stored.data);
    return {
      ...entry,
      subject: stored.subject,
      eventId: decoded.ok ? decoded.event.id : decoded.eventId,
      original: { subject: stored.subject, headers: headersToRecord(stored.header), data: stored.data },
      originalMissing: null,
    };
  } catch (error) {
    return { ...entry, original: null, originalMissing: `original message ${entry.stream}#${entry.streamSeq} unavailable: ${(error as Error).message}` };
  }
}

/** One dead letter with its original message, by any of its dead-letter sequences. */
export const showDeadLetter = (deps: DeadLetterDeps, dlqSeq: number) => findDeadLetter(deps, dlqSeq);

/**
 * Republishes the original to `<prefix>.retry.<consumer>`, which only the consumer that gave up receives, so
 * the others (which already handled the event) never see it again. The msg id `<eventId>:replay:<dlqSeq>`
 * makes a repeated replay a stream duplicate; the consumer's own dedupe by event id covers anything older.
 * The dead letter is removed once the republish is acknowledged.
 */
export async function replayDeadLetter(deps: DeadLetterDeps, dlqSeq: number): Promise<ReplayResult> {
  const letter = await findDeadLetter(deps, dlqSeq);
  if (!letter.original) throw new Error(`cannot replay dead letter ${dlqSeq}: ${letter.originalMissing}`);
  const jsm = await deps.nc.jetstreamManager();
  try {
    await jsm.consumers.info(deps.names.stream, letter.consumer);
  } catch {
    throw new Error(`cannot replay dead letter ${dlqSeq}: consumer "${letter.consumer}" does not exist on ${deps.names.stream}`);
  }
  const { original } = letter;
  const skip = (key: string) => /^nats-/i.test(key) || key === REPLAY_OF_HEADER;
  const headers = recordToHeaders(original.headers, skip);
  headers.set(REPLAY_OF_HEADER, String(letter.dlqSeq));
  if (!headers.has(ORIGINAL_SUBJECT_HEADER)) headers.set(ORIGINAL_SUBJECT_HEADER, original.subject);
  const subject = retrySubjectFor(deps.names, letter.consumer);
  const ack = await deps.nc.jetstream().publish(subject, original.data, {
    headers,
    msgID: `${letter.eventId ?? `${letter.stream}#${letter.streamSeq}`}:replay:${letter.dlqSeq}`,
    expect: { streamName: deps.names.stream },
  });
  for (const seq of letter.dlqSeqs) {
    await jsm.streams.deleteMessage(deadLetterStreamName(deps.names), seq, false).catch(() => undefined);
  }
  return { dlqSeq: letter.dlqSeq, consumer: letter.consumer, subject, seq: ack.seq, duplicate: ack.duplicate };
}

/** Replays every open dead letter, optionally only one consumer's. */
export async function replayAllDeadLetters(deps: DeadLetterDeps, filter: { consumer?: string } = {}): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for (const letter of await listDeadLetters(deps)) {
    if (filter.consumer && letter.consumer !== filter.consumer) continue;
    results.push(await replayDeadLetter(deps, letter.dlqSeq));
  }
  return results;
}

/** Deletes every dead letter; returns how many dead-letter stream messages were removed. */
export async function purgeDeadLetters(deps: DeadLetterDeps): Promise<number> {
  const jsm = await deps.nc.jetstreamManager();
  const response = await jsm.streams.purge(deadLetterStreamName(deps.names));
  return response.purged;
}

export class DeadLetterNotFoundError extends Error {
  override name = 'DeadLetterNotFoundError';
}

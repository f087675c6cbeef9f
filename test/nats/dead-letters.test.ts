/** Provisioning and the dead-letter tools on a real nats-server: advisories, records, show, replay, purge. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy, type NatsConnection } from 'nats';
import { ANALYTICS_EVENTS } from '../../src/analytics/subscriber.ts';
import { EMAIL_EVENTS } from '../../src/notifications/email-subscriber.ts';
import { NOTIFICATIONS_EVENTS } from '../../src/notifications/notifications-subscriber.ts';
import { startConsumeLoop, type ConsumedEvent } from '../../src/platform/nats/consume-loop.ts';
import { REPLAY_OF_HEADER } from '../../src/platform/nats/dead-letter-record.ts';
import { listDeadLetters, purgeDeadLetters, replayAllDeadLetters, replayDeadLetter, showDeadLetter } from '../../src/platform/nats/dead-letters.ts';
import {
  consumerFilterSubjects,
  deadLetterStreamName,
  ensureCheckoutStream,
  resolvePolicy,
  type StreamNames,
} from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { testLogger } from '../subscribers/support.ts';
import { sampleEvent, startFailingConsumer, startNatsServer, storedFormOf, uniqueStreamNames, waitFor, waitForDeadLetters, type NatsServerHandle } from './support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

const FAST = { backoffMs: [100, 200], maxDeliver: 3 };

let server: NatsServerHandle;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await server.connect('dead-letters-test');
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

describe('provisioning', () => {
  it('is idempotent and applies a changed policy to existing consumers', async () => {
    const names = uniqueStreamNames('prov');
    await ensureCheckoutStream(nc, names, { consumers: SERVICE_CONSUMERS });
    await ensureCheckoutStream(nc, names, { consumers: SERVICE_CONSUMERS });
    const jsm = await ensureCheckoutStream(nc, names, { policy: FAST, consumers: SERVICE_CONSUMERS });
    const email = await jsm.consumers.info(names.stream, 'email');
    expect(email.config).toMatchObject({
      ack_policy: AckPolicy.Explicit,
      max_deliver: 3,
      backoff: [100_000_000, 200_000_000],
      filter_subjects: consumerFilterSubjects(names, 'email', EMAIL_EVENTS),
    });
    expect((await jsm.consumers.info(names.stream, 'analytics')).config).toMatchObject({ max_deliver: 3, filter_subjects: consumerFilterSubjects(names, 'analytics', ANALYTICS_EVENTS) });
    expect((await jsm.consumers.info(names.stream, 'notifications')).config.filter_subjects).toEqual(consumerFilterSubjects(names, 'notifications', NOTIFICATIONS_EVENTS));
    const dlq = await jsm.streams.info(deadLetterStreamName(names));
    expect(dlq.config.subjects).toContain(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${names.stream}.*`);
    const stream = await jsm.streams.info(names.stream);
    expect(stream.config).toMatchObject({ subjects: [`${names.subjectPrefix}.>`], storage: 'file' });
    expect(stream.config.duplicate_window).toBeGreaterThan(0);
  });

  it('refuses a backoff schedule the server would reject', () => {
    expect(() => resolvePolicy({ backoffMs: [1, 2, 3], maxDeliver: 3 })).toThrow(/must exceed/);
  });
});

describe('dead letters', { timeout: 30_000 }, () => {
  async function setup(): Promise<StreamNames> {
    const names = uniqueStreamNames('dlq');
    await ensureCheckoutStream(nc, names, { policy: FAST, consumers: ['a', 'b'] });
    return names;
  }

  it('captures the max-deliveries advisory of a consumer that never answers, and fetches the original', async () => {
    const names = await setup();
    const event = sampleEvent();
    await publishCheckoutEvent(nc, names, event, testKeyring());
    // A consumer that takes messages and never acks them: the server gives up after max_deliver.
    const consumer = await nc.jetstream().consumers.get(names.stream, 'a');
    const messages = await consumer.consume({ max_messages: 10 });
    void (async () => {
      for await (const _ of messages) {
        // silence
      }
    })();
    const [letter] = await waitForDeadLetters(nc, names, 1);
    await messages.close();
    expect(letter).toMatchObject({ source: 'max_deliveries', consumer: 'a', streamSeq: 1, deliveries: 3, subject: null });
    const detail = await showDeadLetter({ nc, names }, letter!.dlqSeq);
    expect(detail.eventId).toBe(event.id);
    expect(JSON.parse(new TextDecoder().decode(detail.original!.data))).toEqual(storedFormOf(event));
    expect(detail.original!.headers['Nats-Msg-Id']).toEqual([event.id]);
  });

  it('replays a dead letter to the consumer that gave up, once, and only to it', async () => {
    const names = await setup();
    let fixed = false;
    const seenA: ConsumedEvent[] = [];
    const seenB: ConsumedEvent[] = [];
    const poison = sampleEvent();
    const loopA = await startConsumeLoop({
      nc,
      names,
      consumer: 'a',
      logger: testLogger(),
      handle: async (e) => {
        if (!fixed) throw new Error('bug in handler');
        seenA.push(e);
      },
    });
    const loopB = await startConsumeLoop({ nc, names, consumer: 'b', logger: testLogger(), handle: async (e) => void seenB.push(e) });
    await publishCheckoutEvent(nc, names, poison, testKeyring());
    const letters = await waitForDeadLetters(nc, names, 1);
    // The record and the server's terminated advisory are one dead letter.
    expect(letters[0]!.dlqSeqs).toHaveLength(2);
    expect(letters[0]!.source).toBe('record');

    fixed = true;
    const result = await replayDeadLetter({ nc, names }, letters[0]!.dlqSeq);
    expect(result).toMatchObject({ consumer: 'a', subject: `${names.subjectPrefix}.retry.a`, duplicate: false });
    await waitFor(() => seenA.length === 1, { what: 'the replay' });
    expect(seenA[0]).toMatchObject({ replayOf: String(letters[0]!.dlqSeq), event: storedFormOf(poison) });
    expect(await listDeadLetters({ nc, names })).toEqual([]);

    // A second replay of the same dead letter finds nothing: the first one removed it.
    await expect(replayDeadLetter({ nc, names }, letters[0]!.dlqSeq)).rejects.toThrow(/no dead letter/);
    await new Promise((r) => setTimeout(r, 500));
    await loopA.stop();
    await loopB.stop();
    expect(seenA).toHaveLength(1);
    expect(seenB.map((e) => e.event.id)).toEqual([poison.id]);
  });

  it('keeps the replay header chain and purges', async () => {
    const names = await setup();
    const loop = await startFailingConsumer(nc, names, 'a', 'still broken');
    await publishCheckoutEvent(nc, names, sampleEvent(), testKeyring());
    await publishCheckoutEvent(nc, names, sampleEvent(), testKeyring());
    await waitForDeadLetters(nc, names, 2);
    const replayed = await replayAllDeadLetters({ nc, names });
    expect(replayed).toHaveLength(2);
    // Still broken: both come back as new dead letters, now from the retry subject.
    const again = await waitForDeadLetters(nc, names, 2);
    const detail = await showDeadLetter({ nc, names }, again[0]!.dlqSeq);
    expect(detail.subject).toBe(`${names.subjectPrefix}.retry.a`);
    expect(detail.original!.headers[REPLAY_OF_HEADER]).toEqual([String(replayed[0]!.dlqSeq)]);
    await loop.stop();
    expect(await purgeDeadLetters({ nc, names })).toBe(4);
    expect(await listDeadLetters({ nc, names })).toEqual([]);
  });
});

/** The durable consume loop on a real nats-server: fan-out, poison and malformed messages, restarts, graceful stop. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats';
import { startConsumeLoop, PermanentError, type ConsumedEvent, type ConsumeLoopOptions } from '../../src/platform/nats/consume-loop.ts';
import { ensureCheckoutStream, subjectFor, type StreamNames } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { createConsumerMetrics } from '../../src/platform/nats/consumer-metrics.ts';
import { Registry } from 'prom-client';
import { testLogger } from '../subscribers/support.ts';
import { sampleEvent, startNatsServer, uniqueStreamNames, waitFor, waitForDeadLetters, type NatsServerHandle } from './support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';

const FAST = { backoffMs: [150, 300], maxDeliver: 3 };

let server: NatsServerHandle;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await server.connect('consume-loop-test');
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

async function provision(consumers = ['a', 'b'], policy = FAST): Promise<StreamNames> {
  const names = uniqueStreamNames('loop');
  await ensureCheckoutStream(nc, names, { policy, consumers });
  return names;
}

/** A loop's options less what every test shares; distributed over the handle/handleBatch union. */
type LoopOptions<T = ConsumeLoopOptions> = T extends unknown ? Omit<T, 'nc' | 'names' | 'consumer' | 'logger'> & { consumer?: string } : never;
/** Consumer `a`'s loop (or the consumer named) on this test's server. */
const loopOf = (names: StreamNames, options: LoopOptions) =>
  startConsumeLoop({ nc, names, consumer: 'a', logger: testLogger(), ...options } as ConsumeLoopOptions);

const recorder = () => {
  const seen: ConsumedEvent[] = [];
  return { seen, ids: () => seen.map((s) => s.event.id) };
};

describe('consume loop', { timeout: 30_000 }, () => {
  it('fans out: every durable consumer receives every event', async () => {
    const names = await provision(['a', 'b']);
    const a = recorder();
    const b = recorder();
    const loopA = await loopOf(names, { handle: async (e) => void a.seen.push(e) });
    const loopB = await loopOf(names, {
      consumer: 'b',
      batchSize: 10,
      handleBatch: async (events) => void b.seen.push(...events),
    });
    const events = ['checkout.completed', 'checkout.declined', 'checkout.cancelled', 'checkout.failed'].map((t) => sampleEvent(t as never));
    for (const event of events) await publishCheckoutEvent(nc, names, event, testKeyring());
    await waitFor(() => a.seen.length === 4 && b.seen.length === 4, { what: 'both consumers' });
    await loopA.stop();
    await loopB.stop();
    expect(a.ids().sort()).toEqual(events.map((e) => e.id).sort());
    expect(b.ids().sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('drops a re-published event with the same id (PubAck duplicate)', async () => {
    const names = await provision([]);
    const event = sampleEvent();
    const first = await publishCheckoutEvent(nc, names, event, testKeyring());
    const again = await publishCheckoutEvent(nc, names, event, testKeyring());
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, seq: first.seq });
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(names.stream)).state.messages).toBe(1);
  });

  it('dead-letters a malformed message at once, with the reason, and keeps going', async () => {
    const names = await provision(['a']);
    const a = recorder();
    const loop = await loopOf(names, { handle: async (e) => void a.seen.push(e) });
    const js = nc.jetstream();
    await js.publish(subjectFor(names, 'completed', 'email'), 'not json {');
    await js.publish(subjectFor(names, 'completed', 'email'), JSON.stringify({ ...sampleEvent(), version: 3 }));
    await js.publish(subjectFor(names, 'declined', 'email'), JSON.stringify({ ...sampleEvent(), data: { nope: true } }));
    const good = sampleEvent();
    await publishCheckoutEvent(nc, names, good, testKeyring());
    await waitFor(() => a.seen.length === 1, { what: 'the good event' });
    const letters = await waitForDeadLetters(nc, names, 3);
    await loop.stop();
    expect(a.ids()).toEqual([good.id]);
    expect(letters.map((l) => [l.source, l.consumer, l.deliveries])).toEqual([
      ['record', 'a', 1],
      ['record', 'a', 1],
      ['record', 'a', 1],
    ]);
    expect(letters[0]!.reason).toMatch(/^invalid JSON/);
    expect(letters[1]!.reason).toMatch(/unsupported event version 3/);
    expect(letters[2]!.reason).toMatch(/^schema violation: data\./);
  });

  it('dead-letters a poison event after its bounded deliveries while later events keep flowing', async () => {
    // Half-second steps: enough room to see the later events pass while the poison one waits for its retries.
    const policy = { backoffMs: [500, 500], maxDeliver: 3 };
    const names = await provision(['a'], policy);
    const poison = sampleEvent('checkout.completed');
    const attempts: number[] = [];
    const done: string[] = [];
    const loop = await loopOf(names, {
      handle: async ({ event, deliveries }) => {
        if (event.id === poison.id) {
          attempts.push(deliveries);
          throw new Error('database constraint violated');
        }
        done.push(event.id);
      },
    });
    await publishCheckoutEvent(nc, names, poison, testKeyring());
    const later = [sampleEvent(), sampleEvent('checkout.failed')];
    for (const event of later) await publishCheckoutEvent(nc, names, event, testKeyring());
    // The later events are not held up by the poison one's retries.
    await waitFor(() => done.length === 2, { what: 'later events', timeoutMs: 5_000 });
    expect(attempts.length).toBeLessThan(policy.maxDeliver);
    const [letter] = await waitForDeadLetters(nc, names, 1);
    await loop.stop();
    expect(attempts).toEqual([1, 2, 3]);
    expect(letter).toMatchObject({ source: 'record', consumer: 'a', eventId: poison.id, deliveries: 3 });
    expect(letter!.reason).toBe('database constraint violated (gave up after 3 deliveries)');
  });

  it('counts what it settled, the redeliveries, the dead letters and the effect times in its metrics', async () => {
    const names = await provision(['a']);
    const registry = new Registry();
    const flaky = sampleEvent();
    const poison = sampleEvent('checkout.declined');
    const fine = sampleEvent('checkout.failed');
    const done: string[] = [];
    const loop = await loopOf(names, {
      metrics: createConsumerMetrics(registry, 'a'),
      handle: async ({ event, deliveries }) => {
        if (event.id === poison.id) throw new PermanentError('no such template');
        if (event.id === flaky.id && deliveries === 1) throw new Error('SMTP unavailable');
        done.push(event.id);
      },
    });
    for (const event of [flaky, poison, fine]) await publishCheckoutEvent(nc, names, event, testKeyring());
    await waitFor(() => done.length === 2, { what: 'the fine and the flaky event done' });
    await loop.stop();
    const value = async (name: string, labels: Record<string, string>) =>
      (await registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l) && !('le' in v.labels))?.value;
    expect(await value('subscriber_events_handled_total', { consumer: 'a', outcome: 'done' })).toBe(2);
    expect(await value('subscriber_events_handled_total', { consumer: 'a', outcome: 'retry' })).toBe(1);
    expect(await value('subscriber_events_handled_total', { consumer: 'a', outcome: 'dead_letter' })).toBe(1);
    expect(await value('subscriber_dead_lettered_total', { consumer: 'a', cause: 'poison' })).toBe(1);
    expect(await value('subscriber_redeliveries_total', { consumer: 'a' })).toBe(1);
    // Four runs of the handler (the flaky event twice), and two events done after their publication.
    const scrape = await registry.metrics();
    expect(scrape).toContain('subscriber_effect_duration_seconds_count{consumer="a"} 4');
    expect(scrape).toContain('subscriber_event_delay_seconds_count{consumer="a"} 2');
  });

  it('dead-letters at once when the handler says the error is permanent', async () => {
    const names = await provision(['a']);
    const attempts: number[] = [];
    const loop = await loopOf(names, {
      handle: async ({ deliveries }) => {
        attempts.push(deliveries);
        throw new PermanentError('mailbox does not exist');
      },
    });
    await publishCheckoutEvent(nc, names, sampleEvent(), testKeyring());
    const letters = await waitForDeadLetters(nc, names, 1);
    await loop.stop();
    expect(attempts).toEqual([1]);
    expect(letters[0]!.reason).toBe('mailbox does not exist');
  });

  it('retries a failed batch one message at a time, so one bad event cannot sink the others', async () => {
    const names = await provision(['a']);
    const poison = sampleEvent();
    const committed: string[] = [];
    const loop = await loopOf(names, {
      batchSize: 10,
      lingerMs: 200,
      handleBatch: async (events) => {
        if (events.some((e) => e.event.id === poison.id)) throw new Error('boom');
        committed.push(...events.map((e) => e.event.id));
      },
    });
    const others = [sampleEvent(), sampleEvent()];
    for (const event of [others[0]!, poison, others[1]!]) await publishCheckoutEvent(nc, names, event, testKeyring());
    await waitFor(() => committed.length === 2, { what: 'the good events' });
    await waitForDeadLetters(nc, names, 1);
    await loop.stop();
    expect(committed.sort()).toEqual(others.map((e) => e.id).sort());
  });

  it('re-creates its consumer and carries on when the consumer is deleted under it', async () => {
    const names = await provision(['a']);
    const a = recorder();
    const loop = await loopOf(names, {
      restartDelayMs: 100,
      ensure: async () => void (await ensureCheckoutStream(nc, names, { policy: FAST, consumers: ['a'] })),
      handle: async (e) => void a.seen.push(e),
    });
    await publishCheckoutEvent(nc, names, sampleEvent(), testKeyring());
    await waitFor(() => a.seen.length === 1, { what: 'first event' });
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete(names.stream, 'a');
    const next = sampleEvent();
    await publishCheckoutEvent(nc, names, next, testKeyring());
    // The re-created consumer starts from the beginning (deliver all); the point is that messages flow again.
    await waitFor(() => a.ids().includes(next.id), { what: 'the event after the restart', timeoutMs: 20_000 });
    await loop.stop();
  });

  it('stops gracefully: finishes the message in hand and acks it', async () => {
    const names = await provision(['a']);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const finished: string[] = [];
    const loop = await loopOf(names, {
      handle: async ({ event }) => {
        await gate;
        finished.push(event.id);
      },
    });
    const event = sampleEvent();
    await publishCheckoutEvent(nc, names, event, testKeyring());
    const jsm = await nc.jetstreamManager();
    await waitFor(async () => (await jsm.consumers.info(names.stream, 'a')).num_ack_pending === 1, { what: 'delivery' });
    const stopped = loop.stop();
    setTimeout(release, 300);
    await stopped;
    expect(finished).toEqual([event.id]);
    const info = await jsm.consumers.info(names.stream, 'a');
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBe(1);
  });
});

/**
 * The NATS users of docker-compose.yml, for real: a nats-server that speaks TLS only, with the certificates
 * deploy/nats-tls.sh makes (as the compose job runs it) and the users of deploy/nats-accounts.conf (the very
 * file the nodes include, their passwords from the environment). Each role connects as its user, with the
 * configuration its container gets, and does its work through the service's own functions; what it does not
 * do is refused. A permission missing fails the first half, one too wide the second.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AckPolicy, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { type EventSelection } from '../../src/contracts/events.ts';
import { ANALYTICS_EVENTS } from '../../src/analytics/subscriber.ts';
import { WEBHOOKS_EVENTS } from '../../src/webhooks/subscriber.ts';
import { EMAIL_EVENTS } from '../../src/notifications/email-subscriber.ts';
import { NOTIFICATIONS_EVENTS } from '../../src/notifications/notifications-subscriber.ts';
import type { RunningNats } from '../../src/local-stack/nats-server.ts';
import { provisionEventBus } from '../../src/roles/migrate-role.ts';
import { connectEventBus, natsTargetOf } from '../../src/roles/shared-deps.ts';
import { PermanentError, type ConsumedEvent, type ConsumeLoop } from '../../src/platform/nats/consume-loop.ts';
import { connectNats, NatsUnavailableError } from '../../src/platform/nats/connection.ts';
import { listDeadLetters, purgeDeadLetters, replayDeadLetter, showDeadLetter } from '../../src/platform/nats/dead-letters.ts';
import { startEventConsumer } from '../../src/platform/nats/event-consumer.ts';
import { DEFAULT_STREAM_NAMES, deadLetterStreamName, ensureCheckoutStream, retrySubjectFor, subjectFor } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { readStream } from '../../src/platform/nats/read-stream.ts';
import { NATS_ROLES, natsPasswordVariable, type NatsRole } from '../../src/roles/nats-permissions.ts';
import { testLogger } from '../subscribers/support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { sampleEvent, startTlsNatsServer, waitFor } from './support.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

const deployFile = (name: string) => fileURLToPath(new URL(`../../deploy/${name}`, import.meta.url));
const names = DEFAULT_STREAM_NAMES;
const stream = names.stream;
// As the compose file's header makes them.
const passwords = Object.fromEntries(NATS_ROLES.map((role) => [role, `pw${randomBytes(24).toString('hex')}`])) as Record<NatsRole, string>;

let dir: string;
let server: RunningNats;
let url: string;
let ca: string;
const connections: NatsConnection[] = [];

/** A role's configuration as its container has it: its user, the CA, TLS URLs. */
const configOf = (role: NatsRole, overrides: Record<string, string> = {}) =>
  loadConfig({ NATS_URL: url, NATS_USER: role, NATS_PASSWORD: passwords[role], NATS_TLS_CA_FILE: ca, NATS_STREAM_REPLICAS: '1', ...overrides });

async function as(role: NatsRole): Promise<NatsConnection> {
  const nc = await connectNats(natsTargetOf(configOf(role)), `permissions-test-${role}`);
  connections.push(nc);
  return nc;
}

const refused = /permissions violation/i;

/** Subscribing is refused asynchronously: the server's error ends the subscription. */
async function subscribeRefused(nc: NatsConnection, subject: string) {
  const sub = nc.subscribe(subject);
  const listened = (async () => {
    for await (const _ of sub) return `received a message on ${subject}`;
    return `${subject}: ended without an error`;
  })();
  const notRefused = new Promise((resolve) => setTimeout(() => resolve(`${subject}: not refused within 3 s`), 3_000).unref());
  await expect(Promise.race([listened, notRefused])).rejects.toThrow(refused);
  sub.unsubscribe();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nats-roles-'));
  const tls = { ca: path.join(dir, 'ca'), caKey: path.join(dir, 'ca-key'), server: path.join(dir, 'server') };
  for (const d of Object.values(tls)) mkdirSync(d);
  // nats.js checks a server reached by IP address against the name `localhost`; compose's are names.
  execFileSync('sh', [deployFile('nats-tls.sh')], {
    env: { ...process.env, NATS_TLS_CA_DIR: tls.ca, NATS_TLS_CA_KEY_DIR: tls.caKey, NATS_TLS_SERVER_DIR: tls.server, NATS_TLS_HOSTS: '127.0.0.1 localhost' },
    stdio: 'pipe',
  });
  ca = path.join(tls.ca, 'ca.pem');
  // `include` is relative to the config file: the accounts file sits beside it, as in the nodes' /etc/nats.
  copyFileSync(deployFile('nats-accounts.conf'), path.join(dir, 'nats-accounts.conf'));
  ({ server, url } = await startTlsNatsServer(
    dir,
    { cert: path.join(tls.server, 'server.pem'), key: path.join(tls.server, 'server-key.pem') },
    ['include ./nats-accounts.conf'],
    Object.fromEntries(NATS_ROLES.map((role) => [natsPasswordVariable(role), passwords[role]])),
  ));
}, 60_000);

afterAll(async () => {
  await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A subscriber role's loop, as the role starts it (provisioning check included); it dead-letters the ids in `poison`. */
async function subscriberOf(role: 'email' | 'notifications' | 'analytics' | 'webhooks', receives: EventSelection, poison: Set<string>) {
  const { nc, names: roleNames } = await connectEventBus(configOf(role), `permissions-test-${role}`);
  connections.push(nc);
  const seen: ConsumedEvent[] = [];
  const loop = await startEventConsumer({ nc, names: roleNames, consumer: role, receives, logger: testLogger(), concurrency: 4 }, async (consumed) => {
    if (poison.has(consumed.event.id) && !consumed.replayOf) throw new PermanentError('unusable event (test)');
    seen.push(consumed);
  });
  return { nc, seen, loop };
}

/** Every message the consumer was sent is acknowledged: the acks reached the server. */
async function allAcked(nc: NatsConnection, consumer: string) {
  const jsm = await nc.jetstreamManager();
  await waitFor(
    async () => {
      const info = await jsm.consumers.info(stream, consumer);
      return info.num_ack_pending === 0 && info.num_pending === 0 && info.ack_floor.stream_seq === info.delivered.stream_seq && info.delivered.stream_seq > 0;
    },
    { what: `${consumer} to have acknowledged everything`, timeoutMs: 10_000 },
  );
}

describe('each role does its work as its own user', { timeout: 60_000 }, () => {
  const byEmail = sampleEvent('checkout.completed');
  const bySms = sampleEvent('checkout.declined', { data: { customer: { id: 'cus_2', email: 'grace@example.com', phone: '+15550100', notify: ['sms'] } } });
  const beforeChannels = sampleEvent('checkout.failed');
  const poisonForEmail = sampleEvent('checkout.cancelled');
  const loops: ConsumeLoop[] = [];
  afterAll(async () => {
    await Promise.all(loops.map((loop) => loop.stop()));
  });

  it('migrate provisions the streams and the durable consumers, and changes them for a new release', async () => {
    expect(await provisionEventBus(configOf('migrate'), 5_000)).toMatch(/provisioned CHECKOUT_EVENTS/);
    expect(await provisionEventBus(configOf('migrate'), 5_000)).toMatch(/provisioned/);
    // A release with another policy: the consumers are updated, then put back.
    const nc = await as('migrate');
    const jsm = await ensureCheckoutStream(nc, names, { replicas: 1, policy: { maxAckPending: 500 }, consumers: SERVICE_CONSUMERS });
    expect((await jsm.consumers.info(stream, 'email')).config.max_ack_pending).toBe(500);
    await ensureCheckoutStream(nc, names, { replicas: 1, consumers: SERVICE_CONSUMERS });
    expect((await jsm.consumers.info(stream, 'email')).config.max_ack_pending).toBe(1_000);
  });

  it('the api checks the provisioning at start, and its readiness pings the server', async () => {
    const { nc } = await connectEventBus(configOf('api'), 'permissions-test-api');
    connections.push(nc);
    await nc.flush();
  });

  it('the worker publishes outcome events on the subjects of either layout', async () => {
    const { nc, names: workerNames } = await connectEventBus(configOf('worker'), 'permissions-test-worker');
    connections.push(nc);
    for (const event of [byEmail, bySms, poisonForEmail]) expect((await publishCheckoutEvent(nc, workerNames, event, testKeyring())).duplicate).toBe(false);
    const typeOnly = await connectEventBus(configOf('worker', { EVENT_SUBJECTS: 'type' }), 'permissions-test-worker-type');
    connections.push(typeOnly.nc);
    expect(typeOnly.names.eventSubjects).toBe('type');
    await publishCheckoutEvent(typeOnly.nc, typeOnly.names, beforeChannels, testKeyring());
  });

  it('the subscribers pull from their own consumers, acknowledge, and write their dead letters', async () => {
    const poison = new Set([poisonForEmail.id]);
    const email = await subscriberOf('email', EMAIL_EVENTS, poison);
    const notifications = await subscriberOf('notifications', NOTIFICATIONS_EVENTS, poison);
    const analytics = await subscriberOf('analytics', ANALYTICS_EVENTS, new Set());
    const webhooks = await subscriberOf('webhooks', WEBHOOKS_EVENTS, new Set());
    loops.push(email.loop, notifications.loop, analytics.loop, webhooks.loop);
    const ids = (seen: ConsumedEvent[]) => seen.map((s) => s.event.id).sort();
    await waitFor(() => email.seen.length === 2 && notifications.seen.length === 2 && analytics.seen.length === 4 && webhooks.seen.length === 4, { what: 'every subscriber', timeoutMs: 10_000 });
    // The type-only event (a release before the channel token) reaches every consumer.
    expect(ids(email.seen)).toEqual([byEmail.id, beforeChannels.id].sort());
    expect(ids(notifications.seen)).toEqual([bySms.id, beforeChannels.id].sort());
    expect(ids(analytics.seen)).toEqual([byEmail.id, bySms.id, beforeChannels.id, poisonForEmail.id].sort());
    expect(ids(webhooks.seen)).toEqual(ids(analytics.seen));
    for (const [role, { nc }] of Object.entries({ email, notifications, analytics, webhooks })) await allAcked(nc, role);
  });

  it('the operator lists, shows, replays and purges dead letters, and reads the stream', async () => {
    const nc = await as('operator');
    const deps = { nc, names };
    // The consumer's record and the server's advisory of the same message: one dead letter.
    const [letter] = await waitFor(async () => {
      const letters = await listDeadLetters(deps);
      return letters.length === 1 && letters[0]!.dlqSeqs.length === 2 ? letters : null;
    }, { what: "email's dead letter and the server's advisory" });
    expect(letter).toMatchObject({ consumer: 'email', eventId: poisonForEmail.id, source: 'record' });
    expect((await showDeadLetter(deps, letter!.dlqSeq)).original?.subject).toBe(subjectFor(names, 'checkout.cancelled', 'email'));
    const replay = await replayDeadLetter(deps, letter!.dlqSeq);
    expect(replay.subject).toBe(retrySubjectFor(names, 'email'));
    expect(await listDeadLetters(deps)).toEqual([]);
    expect(await purgeDeadLetters(deps)).toBe(0);
    const stored: string[] = [];
    for await (const msg of readStream(nc, stream)) stored.push(msg.subject);
    expect(stored).toHaveLength(5);
    expect(stored.at(-1)).toBe(retrySubjectFor(names, 'email'));
  });

  it('the replayed dead letter reaches the email subscriber alone', async () => {
    const email = await as('email');
    await allAcked(email, 'email');
    const jsm = await email.jetstreamManager();
    expect((await jsm.consumers.info(stream, 'email')).delivered.stream_seq).toBe(5);
    expect((await jsm.consumers.info(stream, 'analytics')).ack_floor.stream_seq).toBe(4);
  });
});

describe('each role is refused what it does not do', { timeout: 60_000 }, () => {
  const forged = () => JSON.stringify(sampleEvent('checkout.completed'));
  const eventSubject = subjectFor(names, 'checkout.completed', 'email');
  const deadLetters = deadLetterStreamName(names);

  it('only the worker publishes events; nobody else forges one, and the worker forges no replay or dead letter', async () => {
    for (const role of NATS_ROLES.filter((r) => r !== 'worker')) {
      const nc = await as(role);
      await expect(nc.jetstream().publish(eventSubject, forged()), role).rejects.toThrow(refused);
      await expect(nc.jetstream().publish(`${names.subjectPrefix}.completed`, forged()), role).rejects.toThrow(refused);
    }
    const worker = await as('worker');
    await expect(worker.jetstream().publish(retrySubjectFor(names, 'email'), forged())).rejects.toThrow(refused);
    await expect(worker.jetstream().publish(`${names.subjectPrefix}_dlq.email`, forged())).rejects.toThrow(refused);
  });

  it('only migrate changes the streams and consumers; nobody deletes or purges the event stream', async () => {
    const { config } = await (await (await as('migrate')).jetstreamManager()).streams.info(stream);
    for (const role of NATS_ROLES) {
      const jsm = await (await as(role)).jetstreamManager();
      await expect(jsm.streams.delete(stream), role).rejects.toThrow(refused);
      await expect(jsm.streams.purge(stream), role).rejects.toThrow(refused);
      await expect(jsm.streams.delete(deadLetters), role).rejects.toThrow(refused);
      if (role === 'migrate') continue;
      await expect(jsm.streams.update(stream, { ...config, max_msgs: 1 }), role).rejects.toThrow(refused);
      await expect(jsm.consumers.update(stream, 'email', { max_ack_pending: 1 }), role).rejects.toThrow(refused);
    }
    // A subscriber whose policy differs from the provisioned one is told to run migrate first.
    const email = await as('email');
    await expect(ensureCheckoutStream(email, names, { policy: { maxAckPending: 7 }, consumers: [{ name: 'email', receives: EMAIL_EVENTS }] })).rejects.toThrow(
      /NATS refused to update consumer email .*run `--role migrate`/,
    );
  });

  it("no role pulls from, or acknowledges for, another's consumer; the operator's reads leave the durables alone", async () => {
    const pullAs = async (role: NatsRole, consumer: string) => (await as(role)).request(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify({ batch: 1, no_wait: true }));
    for (const [role, consumer] of [['email', 'analytics'], ['analytics', 'email'], ['notifications', 'email'], ['worker', 'email'], ['api', 'notifications'], ['operator', 'email'], ['operator', 'analytics']] as const) {
      await expect(pullAs(role, consumer), `${role} pulling ${consumer}`).rejects.toThrow(refused);
    }
    const analytics = await as('analytics');
    await expect(analytics.request(`$JS.ACK.${stream}.email.1.1.1.0.0`, '+ACK')).rejects.toThrow(refused);
    const operator = await (await as('operator')).jetstreamManager();
    // Its ordered reads may create any consumer of the stream but the service's durables (denied by name).
    await expect(operator.consumers.add(stream, { durable_name: 'email', ack_policy: AckPolicy.Explicit })).rejects.toThrow(refused);
    await expect(operator.consumers.delete(stream, 'analytics')).rejects.toThrow(refused);
  });

  it('no role listens to the events, or to the replies of another', async () => {
    for (const role of NATS_ROLES) {
      const nc = await as(role);
      await subscribeRefused(nc, `${names.subjectPrefix}.>`);
      await subscribeRefused(nc, '_INBOX.>');
      await subscribeRefused(nc, `_INBOX.${role === 'email' ? 'analytics' : 'email'}.>`);
    }
  });

  it('refuses a client without a user, with a wrong password, in plain TCP, or not trusting the CA', async () => {
    const target = natsTargetOf(configOf('worker'));
    await expect(connectNats({ ...target, auth: { kind: 'none' } }, 'anonymous')).rejects.toThrow(NatsUnavailableError);
    await expect(connectNats({ ...target, auth: { kind: 'user', user: 'worker', password: passwords.email } }, 'wrong-password')).rejects.toThrow(/authorization/i);
    await expect(connectNats({ ...target, tls: { caFile: null, certFile: null, keyFile: null } }, 'no-ca')).rejects.toThrow(NatsUnavailableError);
    // A client that does not start TLS: whatever it sends, the server closes the connection.
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connectTcp(Number(new URL(url).port), '127.0.0.1', () => {
        socket.write(`CONNECT ${JSON.stringify({ user: 'worker', pass: passwords.worker, verbose: false })}\r\nPING\r\n`);
      });
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.setTimeout(5_000, () => socket.destroy(new Error(`no close after ${JSON.stringify(received)}`)));
    });
    // The server's INFO (TLS required), then the connection closed: no +OK, no PONG.
    expect(answer).toMatch(/^INFO \{.*"tls_required":true.*\}\s*$/s);
  });
});

/**
 * The topology docker-compose.yml declares, as separate processes on this machine: the Temporal server on
 * PostgreSQL, nats-server, the migrate role once, then 2 API processes, 2 workers, 2 email subscribers, the
 * notifications and analytics subscribers, the simulators and the SMTP sink — every role through
 * `node dist/src/main.js --role …` from the production build (`npm run build`, as the image runs it),
 * sharing one PostgreSQL database. A batch of checkouts is spread over both APIs;
 * one worker and one email subscriber are killed (SIGKILL) mid-batch. Afterwards the world holds: one order
 * per capture, every authorization captured or voided, stock, one event per outcome, one email and one
 * analytics row per event. Run with `npm run test:server`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsProcessedEvents, emailDeliveries } from '../../src/platform/db/schema/subscribers.ts';
import { startNatsServer, type RunningNats } from '../../src/local-stack/nats-server.ts';
import { freePort } from '../../src/platform/ports.ts';
import { dropTemporalDatabases, postgresTargetOf, startTemporalCluster, type RunningTemporalCluster } from '../../src/local-stack/temporal-cluster.ts';
import { ensureServerTools } from '../../src/local-stack/tools.ts';
import { DEFAULT_STREAM_NAMES } from '../../src/platform/nats/provision.ts';
import { checkoutRequest } from '../support/checkout-stack.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { assertWorldInvariants, fetchEvents } from '../support/invariants.ts';
import { TEST_PAYLOAD_KEYS } from '../../harness/payload-keys.ts';
import { spawnStack, type StackProcess } from '../../harness/service-process.ts';
import { waitFor } from '../support/wait-for.ts';
import { newCustomer } from '../workflows/support/world.ts';

const POSTGRES = process.env.TEMPORAL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';
const BATCH = 40;
const temporalDb = `dc_topology_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(path.join(tmpdir(), 'durable-checkout-topology-'));

let temporal: RunningTemporalCluster;
let nats: RunningNats;
let database: TestDatabase;
let nc: NatsConnection;
const processes = new Map<string, StackProcess>();
let env: Record<string, string>;
let apis: string[];
let urls: { gateways: { primary: string; secondary: string }; mailbox: string };

/** One role as its own process, waiting until it says it is up. */
async function role(name: string, args: string[], extra: Record<string, string> = {}, ready = 'consuming') {
  // The production build, as the image runs it: plain node, the workflow bundle built ahead.
  const proc = spawnStack({ ...env, ...extra }, ['--role', ...args], { compiled: true });
  processes.set(name, proc);
  await waitFor(() => {
    if (proc.child.exitCode !== null) throw new Error(`${name} exited with ${proc.child.exitCode}:\n${proc.output()}`);
    return proc.output().includes(ready);
  }, { what: `${name} to start`, timeoutMs: 90_000 });
  return proc;
}

beforeAll(async () => {
  const tools = ensureServerTools();
  const [temporalPort, natsPort, fraud, primary, secondary, smtp, mailbox, ...more] = await Promise.all(Array.from({ length: 15 }, () => freePort()));
  [temporal, nats, database] = await Promise.all([
    startTemporalCluster({
      serverBinary: tools.temporalServer,
      sqlTool: tools.temporalSqlTool,
      cliBinary: tools.temporalCli,
      host: '127.0.0.1',
      port: temporalPort!,
      namespace: 'default',
      retentionHours: 72,
      historyShards: 4,
      postgres: postgresTargetOf(`${POSTGRES}/${temporalDb}`),
      dir: path.join(dir, 'temporal'),
    }),
    startNatsServer({ binary: tools.natsServer, host: '127.0.0.1', port: natsPort!, dir: path.join(dir, 'nats') }),
    createTestDatabase(`${POSTGRES}/postgres`),
  ]);
  nc = await connect({ servers: nats.url });
  const [api1, api2, metrics1, metrics2, smsP, smsS, pushP, pushS] = more as number[];
  urls = { gateways: { primary: `http://127.0.0.1:${primary}`, secondary: `http://127.0.0.1:${secondary}` }, mailbox: `http://127.0.0.1:${mailbox}` };
  env = {
    NODE_ENV: 'development',
    ENABLE_DEV_KEYS: 'true',
    LOG_LEVEL: 'info',
    DATA_DIR: path.join(dir, 'data'),
    DATABASE_URL: database.url!,
    TEMPORAL_ADDRESS: temporal.address,
    NATS_URL: nats.url,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    FRAUD_URL: `http://127.0.0.1:${fraud}`,
    PRIMARY_GATEWAY_URL: urls.gateways.primary,
    SECONDARY_GATEWAY_URL: urls.gateways.secondary,
    SMS_PRIMARY_URL: `http://127.0.0.1:${smsP}`,
    SMS_SECONDARY_URL: `http://127.0.0.1:${smsS}`,
    PUSH_PRIMARY_URL: `http://127.0.0.1:${pushP}`,
    PUSH_SECONDARY_URL: `http://127.0.0.1:${pushS}`,
    SMTP_URL: `smtp://127.0.0.1:${smtp}`,
    MAILBOX_PORT: String(mailbox),
    SIMULATOR_LATENCY_MS: '5',
    GATEWAY_TIMEOUT: '1s',
    SIMULATOR_HANG: '2500',
    WORKFLOW_BUNDLE_PATH: path.resolve('dist/workflow-bundle.js'),
    // The test polls all 40 checkouts until they are final; the per-merchant limit (600/min) would answer 429.
    RATE_LIMIT_PER_MINUTE: '100000',
    // Each subscriber process serves its metrics on a port of its own.
    SUBSCRIBER_METRICS_PORT: '0',
  };
  await role('migrate', ['migrate'], {}, '');
  expect(await processes.get('migrate')!.exited).toBe(0);
  await Promise.all([
    role('simulators', ['simulators'], {}, 'simulators:'),
    role('smtp-sink', ['smtp-sink'], {}, 'smtp'),
    role('worker-1', ['worker'], { WORKER_METRICS_PORT: String(metrics1) }, 'worker polling'),
    role('worker-2', ['worker'], { WORKER_METRICS_PORT: String(metrics2) }, 'worker polling'),
  ]);
  await Promise.all([
    role('api-1', ['api'], { API_PORT: String(api1) }, 'api listening'),
    role('api-2', ['api'], { API_PORT: String(api2) }, 'api listening'),
    role('email-1', ['email']),
    role('email-2', ['email']),
    role('notifications', ['notifications']),
    role('analytics', ['analytics']),
  ]);
  apis = [`http://127.0.0.1:${api1}`, `http://127.0.0.1:${api2}`];
}, 300_000);

afterAll(async () => {
  await Promise.all(
    [...processes.values()].map(async (proc) => {
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
    }),
  );
  await nc?.close();
  await Promise.all([temporal?.stop(), nats?.stop(), database?.close()]);
  try {
    await dropTemporalDatabases(ensureServerTools().temporalSqlTool, postgresTargetOf(`${POSTGRES}/${temporalDb}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

const merchant = { authorization: 'Bearer dev_merchant_key', 'content-type': 'application/json' };
const FINAL = new Set(['completed', 'declined', 'cancelled', 'failed', 'escalated']);

describe('the compose topology as processes', { timeout: 240_000 }, () => {
  it('keeps every invariant through a batch over two APIs while a worker and an email subscriber are killed', async () => {
    const ids: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      if (i === BATCH / 4) {
        // Mid-batch: one worker and one email subscriber vanish without shutting down.
        processes.get('worker-1')!.child.kill('SIGKILL');
        processes.get('email-1')!.child.kill('SIGKILL');
      }
      const token = i % 5 === 4 ? 'tok_chargeDeclined' : i % 7 === 3 ? 'tok_primaryDown' : 'tok_visa';
      const response = await fetch(`${apis[i % 2]}/v1/checkouts`, { method: 'POST', headers: merchant, body: JSON.stringify(checkoutRequest({ token, customer: newCustomer() })) });
      expect(response.status).toBe(202);
      ids.push(((await response.json()) as { id: string }).id);
    }
    let last: string[] = [];
    const statuses = await waitFor(async () => {
      last = await Promise.all(ids.map(async (id, i) => ((await (await fetch(`${apis[(i + 1) % 2]}/v1/checkouts/${id}`, { headers: merchant })).json()) as { status: string }).status));
      return last.every((s) => FINAL.has(s)) ? last : null;
    }, { what: `all ${BATCH} checkouts final`, timeoutMs: 180_000 }).catch((error: Error) => {
      const stuck = ids.filter((_, i) => !FINAL.has(last[i]!)).map((id) => `${id}: ${last[ids.indexOf(id)]}`);
      throw new Error(`${error.message}; not final: ${stuck.join(', ')}\nworker-2:\n${processes.get('worker-2')!.output().slice(-3000)}`);
    });
    for (const killed of ['worker-1', 'email-1']) expect(processes.get(killed)!.child.signalCode, killed).toBe('SIGKILL');
    expect(statuses.filter((s) => s === 'completed').length).toBeGreaterThan(BATCH / 2);
    expect(statuses.filter((s) => s === 'declined')).toHaveLength(BATCH / 5);

    const world = { database, simulators: { urls }, nc, names: DEFAULT_STREAM_NAMES };
    await waitFor(async () => (await fetchEvents(world)).filter((e) => ids.includes(e.checkoutId)).length === BATCH, { what: 'one event per checkout', timeoutMs: 60_000 });
    await assertWorldInvariants(world, ids);

    const eventIds = (await fetchEvents(world)).filter((e) => ids.includes(e.checkoutId)).map((e) => e.id);
    const sentOnce = async () => {
      const [emails, counted] = await Promise.all([
        database.db.select().from(emailDeliveries).where(inArray(emailDeliveries.eventId, eventIds)),
        database.db.select().from(analyticsProcessedEvents).where(inArray(analyticsProcessedEvents.eventId, eventIds)),
      ]);
      return emails.filter((e) => e.status === 'sent').length === BATCH && counted.length === BATCH ? { emails, counted } : null;
    };
    const { emails } = await waitFor(sentOnce, { what: 'one email and one analytics row per event', timeoutMs: 90_000 });
    const { messages } = (await (await fetch(`${urls.mailbox}/messages`)).json()) as { messages: { messageId: string; duplicateOf: string | null }[] };
    const mine = messages.filter((m) => eventIds.some((id) => m.messageId.includes(id)));
    // At most a resend with the same Message-ID after the kill (see docs/events.md, "Delivery guarantees"), never a second distinct email.
    expect(new Set(mine.map((m) => m.messageId)).size).toBe(BATCH);
    expect(emails).toHaveLength(BATCH);

    // The analytics process counted every event it folded in, on its own metrics port.
    const metricsUrl = /metrics on (http:\/\/[^\s"]+)/.exec(processes.get('analytics')!.output())?.[1];
    expect(metricsUrl, 'the analytics role names its metrics URL').toBeDefined();
    const scrape = await (await fetch(metricsUrl!)).text();
    const done = Number(/subscriber_events_handled_total\{consumer="analytics",outcome="done"\} (\d+)/.exec(scrape)?.[1]);
    expect(done).toBeGreaterThanOrEqual(BATCH);
    expect((await fetch(metricsUrl!.replace(/\/metrics$/, '/readyz'))).status).toBe(200);
  });
});

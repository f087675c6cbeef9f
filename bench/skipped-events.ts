/**
 * What a subscriber spends on events that are not its own: N events whose customers the subscriber leaves to
 * another one (email-first for `notifications`, SMS-first for `email`) are stored on a fresh stream of a
 * private nats-server, then the subscriber starts and runs until its durable consumer has nothing pending or
 * unacknowledged (and at least --window-ms). Prints the subscriber process's CPU time (process.cpuUsage) over
 * that run, the nats-server's (from /proc) over the same run, the wall time and how many messages the
 * subscriber's consumer was delivered.
 *
 *   node --import tsx bench/skipped-events.ts [--subscriber notifications|email] [--events 5000] [--window-ms 0]
 *
 * The subscriber runs in this process; the events are published before it starts, so their cost is not
 * counted. Its database is never used for events that are not its own: one that is used fails the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import type { CheckoutEvent } from '../src/contracts/events.ts';
import { checkoutEventId } from '../src/contracts/events.ts';
import type { Database } from '../src/platform/db/client.ts';
import { startNatsServer } from '../src/local-stack/nats-server.ts';
import { freePort } from '../src/platform/ports.ts';
import { ensureTools } from '../src/local-stack/tools.ts';
import { createLogger } from '../src/platform/logger.ts';
import { ensureCheckoutStream, type StreamNames } from '../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../src/platform/nats/publish.ts';
import { startEmailSubscriber } from '../src/notifications/email-subscriber.ts';
import { startNotificationsSubscriber } from '../src/notifications/notifications-subscriber.ts';
import { processTicks, ticksToMs } from './proc-stats.ts';
import { testKeyring } from '../harness/payload-keys.ts';
import { contactOpener } from '../src/platform/nats/event-contact.ts';

const { values } = parseArgs({
  options: { subscriber: { type: 'string', default: 'notifications' }, events: { type: 'string', default: '5000' }, 'window-ms': { type: 'string', default: '0' } },
});
const subscriber = values.subscriber as 'notifications' | 'email';
if (subscriber !== 'notifications' && subscriber !== 'email') throw new Error('--subscriber is notifications or email');
const count = Number(values.events);
const windowMs = Number(values['window-ms']);

/** Events the subscriber under test would skip. */
function skippedEvent(i: number): CheckoutEvent {
  const checkoutId = `chk_bench${i}`;
  const customer =
    subscriber === 'notifications'
      ? { id: `cus_${i}`, email: `shopper${i}@example.com`, name: 'Ada' }
      : { id: `cus_${i}`, email: `shopper${i}@example.com`, name: 'Ada', phone: '+15551230001', notify: ['sms' as const, 'email' as const] };
  return {
    id: checkoutEventId(checkoutId, 'checkout.completed'),
    type: 'checkout.completed',
    version: 1,
    occurredAt: new Date().toISOString(),
    checkoutId,
    data: {
      merchantId: 'mer_bench',
      orderId: `ord_bench${i}`,
      customer,
      amount: { total: 3998, currency: 'USD' },
      items: [{ sku: 'SKU-MUG', name: 'Mug', quantity: 2, unitAmount: 1999 }],
      failure: null,
      fraud: { score: 12, decision: 'approve' },
      metadata: {},
      clientReferenceId: null,
      startedAt: new Date().toISOString(),
    },
  };
}

const untouchable = new Proxy({} as Database, {
  get: () => {
    throw new Error('the database was used for an event the subscriber should have skipped');
  },
});

const dir = mkdtempSync(path.join(tmpdir(), 'skipped-events-'));
const server = await startNatsServer({ binary: ensureTools().natsServer, host: '127.0.0.1', port: await freePort(), dir });
const nc = await connect({ servers: server.url, name: 'skipped-events' });
try {
  const names: StreamNames = { stream: 'SKIPPED', subjectPrefix: 'skipped' };
  const jsm = await ensureCheckoutStream(nc, names, { consumers: [subscriber] });
  for (let i = 0; i < count; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, count - i) }, (_, j) => publishCheckoutEvent(nc, names, skippedEvent(i + j), testKeyring())));
  }

  const logger = createLogger({ level: 'silent', name: 'bench' });
  const common = { nc, names, db: untouchable, smtpUrl: 'smtp://127.0.0.1:9', from: 'Bench <bench@example.com>', contacts: contactOpener(testKeyring()), logger };
  const serverTicks = () => processTicks(server.process.child.pid!) ?? Number.NaN;
  const serverBefore = serverTicks();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const running =
    subscriber === 'notifications'
      ? await startNotificationsSubscriber({ ...common, providers: { sms: { primary: 'http://127.0.0.1:9', secondary: 'http://127.0.0.1:9' }, push: { primary: 'http://127.0.0.1:9', secondary: 'http://127.0.0.1:9' } }, providerTimeoutMs: 1_000 })
      : await startEmailSubscriber(common);
  let info = await jsm.consumers.info(names.stream, subscriber);
  while (info.num_pending > 0 || info.num_ack_pending > 0 || performance.now() - started < windowMs) {
    await new Promise((r) => setTimeout(r, 50));
    info = await jsm.consumers.info(names.stream, subscriber);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuMs = ticksToMs(serverTicks() - serverBefore);
  await running.stop();
  const cpuMs = (cpu.user + cpu.system) / 1_000;
  console.log(
    JSON.stringify({
      subscriber,
      events: count,
      delivered: info.delivered.consumer_seq,
      acknowledged: info.ack_floor.consumer_seq,
      cpuMs: Math.round(cpuMs),
      userMs: Math.round(cpu.user / 1_000),
      systemMs: Math.round(cpu.system / 1_000),
      wallMs: Math.round(wallMs),
      natsServerCpuMs: Math.round(serverCpuMs),
    }),
  );
} finally {
  await nc.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

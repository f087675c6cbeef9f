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
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsProcessedEvents, emailDeliveries } from '../../src/platform/db/schema/subscribers.ts';
import { freePort } from '../../src/platform/ports.ts';
import { DEFAULT_STREAM_NAMES } from '../../src/platform/nats/provision.ts';
import { assertWorldInvariants, fetchEvents } from '../support/invariants.ts';
import { waitFor } from '../support/wait-for.ts';
import { DEV_HEADERS, startCheckout, startTopology, type Topology } from './support/topology.ts';

const BATCH = 40;

let topology: Topology;
let apis: string[];

beforeAll(async () => {
  topology = await startTopology('topology');
  const { role } = topology;
  const [metrics1, metrics2] = await Promise.all([freePort(), freePort()]);
  await Promise.all([
    role('worker-1', ['worker'], { WORKER_METRICS_PORT: String(metrics1) }, 'worker polling'),
    role('worker-2', ['worker'], { WORKER_METRICS_PORT: String(metrics2) }, 'worker polling'),
  ]);
  const [api1, api2] = await Promise.all([
    topology.api('api-1'),
    topology.api('api-2'),
    role('email-1', ['email']),
    role('email-2', ['email']),
    role('notifications', ['notifications']),
    role('analytics', ['analytics']),
  ]);
  apis = [api1 as string, api2 as string];
}, 300_000);

afterAll(async () => {
  await topology?.stop();
}, 120_000);

const merchant = DEV_HEADERS.merchant;
const FINAL = new Set(['completed', 'declined', 'cancelled', 'failed', 'escalated']);

describe('the compose topology as processes', { timeout: 240_000 }, () => {
  it('keeps every invariant through a batch over two APIs while a worker and an email subscriber are killed', async () => {
    const ids: string[] = [];
    const { processes, database, nc, urls } = topology;
    for (let i = 0; i < BATCH; i++) {
      if (i === BATCH / 4) {
        // Mid-batch: one worker and one email subscriber vanish without shutting down.
        processes.get('worker-1')!.child.kill('SIGKILL');
        processes.get('email-1')!.child.kill('SIGKILL');
      }
      const token = i % 5 === 4 ? 'tok_chargeDeclined' : i % 7 === 3 ? 'tok_primaryDown' : 'tok_visa';
      ids.push(await startCheckout(apis[i % 2]!, token));
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

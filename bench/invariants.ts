/**
 * The world invariants checked after a run: those the tests assert (harness/world-invariants.ts), for the saga's
 * checkouts, and what the gateways' ledgers, the orders table, the stock of the
 * benchmark SKU, the event stream and the subscribers' records say must agree with the checkouts the
 * benchmark saw complete. `gatherWorld` reads the facts (in the stack process, which owns the database and
 * has the NATS connection); `evaluateWorld` is pure and turns them into pass/fail checks with details.
 * The direct floor does not compensate, so a direct request that failed half-way leaves what it had done;
 * that is reported as its leftover, not counted as a violation (the checks are about the saga's world). The
 * bare floor's checkouts are left out of the ledger and order checks (their orders are in its own database
 * with PGlite, and it does not compensate either); their events count like any other.
 */
import { eq, inArray } from 'drizzle-orm';
import type { NatsConnection } from 'nats';
import { z } from 'zod';
import type { Database } from '../src/platform/db/client.ts';
import { analyticsProcessedEvents, emailDeliveries, products } from '../src/platform/db/schema/index.ts';
import type { StreamNames } from '../src/platform/nats/provision.ts';
import { readStream } from '../src/platform/nats/read-stream.ts';
import { GATEWAY_NAMES, type GatewayName } from '../src/payments/gateways.ts';
import type { LedgerEntry } from '../src/payments/simulator/ledger.ts';
import { fetchLedgers, readCheckoutRecords, worldViolations } from '../harness/world-invariants.ts';
import { inChunks } from './event-delivery.ts';
import { BENCH_PRODUCT, UNITS_PER_CHECKOUT, type InvariantCheck, type InvariantsRequest } from './protocol.ts';

const eventSchema = z.object({ id: z.string(), type: z.string(), checkoutId: z.string() });

export interface WorldFacts {
  ledger: (LedgerEntry & { gateway: GatewayName })[];
  orders: { checkoutId: string; status: string; captureId: string | null }[];
  stock: number | null;
  initialStock: number;
  /** Units still reserved by direct-floor checkouts that did not complete. */
  reservedByFailedDirect: number;
  /** Every message on the checkout stream; null where a message was not an event. */
  events: (z.infer<typeof eventSchema> | null)[];
  emailSent: Set<string>;
  analyticsCounted: Set<string>;
  /** What the tests' world invariants (harness/world-invariants.ts) find wrong with the completed saga checkouts. */
  sagaViolations: string[];
  /** Checkouts the direct floor started. */
  directStarted: ReadonlySet<string>;
  /** Checkouts the bare floor started (the rest of the ledger belongs to sagas). */
  bareStarted: ReadonlySet<string>;
}

export interface WorldDeps {
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
  gateways: Record<GatewayName, string>;
  initialStock: number;
  directStarted: ReadonlySet<string>;
}

export async function gatherWorld(deps: WorldDeps, request: InvariantsRequest): Promise<WorldFacts> {
  const { db } = deps;
  const ledgers = await fetchLedgers(deps.gateways);
  const ledger = GATEWAY_NAMES.flatMap((gateway) => ledgers[gateway].map((entry) => ({ gateway, ...entry })));
  const checkoutIds = new Set([...ledger.map((e) => e.checkoutId), ...request.sagaCompleted, ...request.directCompleted]);
  // The records the tests' invariants judge serve the checks below too: orders and reservations are read once.
  const records = await readCheckoutRecords(db);
  const orderRows = records.orders.filter((o) => checkoutIds.has(o.checkoutId)).map(({ checkoutId, status, captureId }) => ({ checkoutId, status, captureId }));
  const [product] = await db.select({ stock: products.stock }).from(products).where(eq(products.sku, BENCH_PRODUCT.sku));
  const directCompleted = new Set(request.directCompleted);
  const failedDirect = new Set([...deps.directStarted].filter((id) => !directCompleted.has(id)));
  const leftovers = records.reservations.filter((r) => failedDirect.has(r.checkoutId) && r.sku === BENCH_PRODUCT.sku && r.status === 'reserved');

  const events: WorldFacts['events'] = [];
  for await (const msg of readStream(deps.nc, deps.names.stream)) {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(msg.string());
    } catch {
      // Counted below as a message that is not an event.
    }
    const event = eventSchema.safeParse(parsed);
    events.push(event.success ? event.data : null);
  }
  const eventIds = events.flatMap((e) => (e ? [e.id] : []));
  const emailRows = await inChunks(eventIds, (chunk) =>
    db.select({ eventId: emailDeliveries.eventId, status: emailDeliveries.status }).from(emailDeliveries).where(inArray(emailDeliveries.eventId, chunk)),
  );
  const analyticsRows = await inChunks(eventIds, (chunk) =>
    db.select({ eventId: analyticsProcessedEvents.eventId }).from(analyticsProcessedEvents).where(inArray(analyticsProcessedEvents.eventId, chunk)),
  );
  const sagaViolations = worldViolations({ ledgers, events: events.flatMap((e) => (e ? [e] : [])), ...records }, request.sagaCompleted);
  return {
    ledger,
    sagaViolations,
    orders: orderRows,
    stock: product?.stock ?? null,
    initialStock: deps.initialStock,
    reservedByFailedDirect: leftovers.reduce((sum, row) => sum + row.quantity, 0),
    events,
    emailSent: new Set(emailRows.filter((r) => r.status === 'sent').map((r) => r.eventId)),
    analyticsCounted: new Set(analyticsRows.map((r) => r.eventId)),
    directStarted: deps.directStarted,
    bareStarted: new Set(request.bareStarted),
  };
}

/** One check: passes when `violations` is empty; the detail names the count and a few examples. */
function check(name: string, violations: string[], summary: string): InvariantCheck {
  const examples = violations.length > 0 ? `; e.g. ${violations.slice(0, 3).join('; ')}` : '';
  return { name, pass: violations.length === 0, detail: `${summary}${violations.length > 0 ? `, ${violations.length} violation(s)` : ''}${examples}` };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

export function evaluateWorld(facts: WorldFacts, request: InvariantsRequest): InvariantCheck[] {
  const { ledger } = facts;
  const of = (kind: string) => ledger.filter((e) => e.kind === kind);
  const captures = of('capture');
  const capturesPerCheckout = countBy(captures, (e) => e.checkoutId);

  // Per gateway and checkout: each authorization ends captured or voided (the saga voids what it does not capture).
  const sagaLedger = ledger.filter((e) => !facts.directStarted.has(e.checkoutId) && !facts.bareStarted.has(e.checkoutId));
  const perAuthKey = new Map<string, { auth: number; settled: number }>();
  for (const e of sagaLedger) {
    const key = `${e.checkoutId} on ${e.gateway}`;
    const entry = perAuthKey.get(key) ?? { auth: 0, settled: 0 };
    if (e.kind === 'authorization') entry.auth += 1;
    if (e.kind === 'capture' || e.kind === 'void') entry.settled += 1;
    perAuthKey.set(key, entry);
  }
  const unsettled = [...perAuthKey].filter(([, c]) => c.auth !== c.settled).map(([key, c]) => `${key}: ${c.auth} authorization(s), ${c.settled} capture(s)+void(s)`);
  const sagaAuths = sagaLedger.filter((e) => e.kind === 'authorization').length;
  const completedNotCaptured = request.sagaCompleted.filter((id) => capturesPerCheckout.get(id) !== 1).map((id) => `${id}: ${capturesPerCheckout.get(id) ?? 0} capture(s)`);

  const twice = [...capturesPerCheckout].filter(([, n]) => n > 1).map(([id, n]) => `${id}: ${n} captures`);
  const refunds = of('refund').map((e) => `${e.checkoutId}: refund ${e.id}`);

  const orderOf = new Map(facts.orders.map((o) => [o.checkoutId, o]));
  const directCompleted = new Set(request.directCompleted);
  const failedDirect = (id: string) => facts.directStarted.has(id) && !directCompleted.has(id);
  const orderless = captures
    .filter((c) => !failedDirect(c.checkoutId) && !facts.bareStarted.has(c.checkoutId))
    .filter((c) => {
      const order = orderOf.get(c.checkoutId);
      return !order || order.status !== 'paid' || order.captureId !== c.id;
    })
    .map((c) => `${c.checkoutId}: capture ${c.id}, order ${orderOf.get(c.checkoutId)?.status ?? 'missing'}`);
  const leftAside = captures.filter((c) => failedDirect(c.checkoutId)).length;
  const bareCaptures = captures.filter((c) => facts.bareStarted.has(c.checkoutId)).length;
  const paidOrders = facts.orders.filter((o) => o.status === 'paid');
  const paidWithoutCapture = paidOrders.filter((o) => !capturesPerCheckout.has(o.checkoutId)).map((o) => `${o.checkoutId}: paid order without capture`);

  const sold = (request.sagaCompleted.length + request.directCompleted.length) * UNITS_PER_CHECKOUT;
  const leftover = facts.reservedByFailedDirect;
  const expectedStock = facts.initialStock - sold - leftover;
  const stockWrong = facts.stock === expectedStock ? [] : [`stock is ${facts.stock ?? 'missing'}, expected ${facts.initialStock} − ${sold} − ${leftover} = ${expectedStock}`];

  const sagaCompleted = new Set(request.sagaCompleted);
  const events = facts.events.flatMap((e) => (e ? [e] : []));
  const notEvents = facts.events.length - events.length;
  const eventsPerCheckout = countBy(events, (e) => e.checkoutId);
  const completedEvent = new Set(events.filter((e) => e.type === 'checkout.completed').map((e) => e.checkoutId));
  const badEvents = [
    ...request.sagaCompleted.filter((id) => eventsPerCheckout.get(id) !== 1 || !completedEvent.has(id)).map((id) => `${id}: ${eventsPerCheckout.get(id) ?? 0} event(s)`),
    ...[...eventsPerCheckout].filter(([id, n]) => n > 1 && !sagaCompleted.has(id)).map(([id, n]) => `${id}: ${n} events`),
    ...(notEvents > 0 ? [`${notEvents} message(s) on the stream are not checkout events`] : []),
  ];
  const noEmail = events.filter((e) => !facts.emailSent.has(e.id)).map((e) => `${e.id}: no sent email`);
  const notCounted = events.filter((e) => !facts.analyticsCounted.has(e.id)).map((e) => `${e.id}: not in analytics`);

  return [
    check('saga checkouts: the world invariants the tests assert', facts.sagaViolations, `${request.sagaCompleted.length} completed saga checkout(s)`),
    check('ledger: every saga authorization captured or voided', [...unsettled, ...completedNotCaptured], `${sagaAuths} saga authorization(s), ${request.sagaCompleted.length} completed saga checkout(s)`),
    check('ledger: no checkout captured twice', twice, `${captures.length} capture(s) on ${capturesPerCheckout.size} checkout(s)`),
    check('ledger: nothing refunded', refunds, `${refunds.length} refund(s)`),
    check('orders: one paid order per capture', [...orderless, ...paidWithoutCapture], `${captures.length} capture(s) (${bareCaptures} of the bare floor${leftAside > 0 ? ` and ${leftAside} of failed direct requests` : ''} left aside), ${paidOrders.length} paid order(s)`),
    check(`stock: ${BENCH_PRODUCT.sku} = initial − units sold`, stockWrong, `initial ${facts.initialStock}, sold ${sold} (saga ${request.sagaCompleted.length} + direct ${request.directCompleted.length})${leftover > 0 ? `, ${leftover} left reserved by failed direct requests (the floor does not compensate)` : ''}, now ${facts.stock ?? 'missing'}`),
    check('stream: exactly one outcome event per saga checkout', badEvents, `${events.length} event(s) on the stream`),
    check('email: one sent delivery per event', noEmail, `${facts.emailSent.size} sent of ${events.length}`),
    check('analytics: one processed row per event', notCounted, `${facts.analyticsCounted.size} counted of ${events.length}`),
  ];
}

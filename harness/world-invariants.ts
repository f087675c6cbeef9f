/**
 * The world invariants: what must hold after any number of checkouts, whatever failed on the way — one
 * authorization and at most one capture per checkout, every authorization settled, orders, stock and outcome
 * events agreeing with the checkout's final status. Read from the gateways' ledgers, the database and the
 * event stream, never from the sagas' own answers. The tests assert them after every fault they inject
 * (test/support/invariants.ts); the benchmark checks them for its saga checkouts after every run
 * (bench/invariants.ts).
 */
import { isNotNull, lt } from 'drizzle-orm';
import type { CheckoutStatus } from '../src/contracts/checkout.ts';
import { isRefundEventType, type CheckoutEventType } from '../src/contracts/events.ts';
import { GATEWAY_NAMES, type GatewayName } from '../src/payments/gateways.ts';
import type { LedgerEntry } from '../src/payments/simulator/ledger.ts';
import type { Database } from '../src/platform/db/client.ts';
import { checkoutResults, inventoryReservations, orders, products, refunds } from '../src/platform/db/schema/index.ts';

export type GatewayLedgers = Record<GatewayName, LedgerEntry[]>;

/** A gateway simulator's ledger, optionally of one checkout. */
export async function fetchLedger(gatewayUrl: string, checkoutId?: string): Promise<LedgerEntry[]> {
  const url = new URL('/_ledger', gatewayUrl);
  if (checkoutId !== undefined) url.searchParams.set('checkoutId', checkoutId);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}`);
  return ((await response.json()) as { entries: LedgerEntry[] }).entries;
}

/** Every gateway's ledger, optionally of one checkout. */
export async function fetchLedgers(gatewayUrls: Record<GatewayName, string>, checkoutId?: string): Promise<GatewayLedgers> {
  const ledgers = await Promise.all(GATEWAY_NAMES.map((gateway) => fetchLedger(gatewayUrls[gateway], checkoutId)));
  return Object.fromEntries(GATEWAY_NAMES.map((gateway, index) => [gateway, ledgers[index]!])) as GatewayLedgers;
}

/** What the invariants are judged on. */
export interface WorldRecords {
  ledgers: GatewayLedgers;
  /** The outcome events on the stream (what the subscribers receive). */
  events: readonly { checkoutId: string; type: string; data?: { refund?: { id: string } } }[];
  results: { checkoutId: string; status: string }[];
  orders: (typeof orders.$inferSelect)[];
  reservations: (typeof inventoryReservations.$inferSelect)[];
  /** The merchants' refunds of completed checkouts (the saga's own compensation refunds are not among them). */
  merchantRefunds: Pick<typeof refunds.$inferSelect, 'id' | 'checkoutId' | 'amount' | 'status'>[];
  negativeStock: { sku: string; stock: number }[];
}

/** The database's side of the world: recorded results, orders, reservations, and any stock below zero. */
export async function readCheckoutRecords(db: Database): Promise<Pick<WorldRecords, 'results' | 'orders' | 'reservations' | 'merchantRefunds' | 'negativeStock'>> {
  const [results, orderRows, reservations, merchantRefunds, negativeStock] = await Promise.all([
    db.select({ checkoutId: checkoutResults.checkoutId, status: checkoutResults.status }).from(checkoutResults).where(isNotNull(checkoutResults.finishedAt)),
    db.select().from(orders),
    db.select().from(inventoryReservations),
    db.select({ id: refunds.id, checkoutId: refunds.checkoutId, amount: refunds.amount, status: refunds.status }).from(refunds),
    db.select({ sku: products.sku, stock: products.stock }).from(products).where(lt(products.stock, 0)),
  ]);
  return { results, orders: orderRows, reservations, merchantRefunds, negativeStock };
}

const EVENT_OF_STATUS: Partial<Record<CheckoutStatus, CheckoutEventType>> = {
  completed: 'checkout.completed',
  declined: 'checkout.declined',
  cancelled: 'checkout.cancelled',
  failed: 'checkout.failed',
  escalated: 'checkout.escalated',
};

/**
 * Every violation of the invariants, one line each. Without `checkoutIds`, every checkout the ledgers or the
 * database know is judged. Settlement rules apply to checkouts that finished (their final state is recorded);
 * running ones are only checked for double charges.
 */
export function worldViolations(world: WorldRecords, checkoutIds?: readonly string[]): string[] {
  const { ledgers, results, orders: orderRows, reservations: reservationRows, negativeStock, events } = world;
  const violations: string[] = negativeStock.map((p) => `stock of ${p.sku} is ${p.stock}`);
  const statusOf = new Map(results.map((r) => [r.checkoutId, r.status as CheckoutStatus]));
  const ids =
    checkoutIds ??
    [
      ...new Set([
        ...Object.values(ledgers).flatMap((entries) => entries.map((e) => e.checkoutId)),
        ...results.map((r) => r.checkoutId),
        ...orderRows.map((o) => o.checkoutId),
        ...reservationRows.map((r) => r.checkoutId),
      ]),
    ];

  for (const id of ids) {
    const problem = (message: string) => violations.push(`${id}: ${message}`);
    const entries = (kind: LedgerEntry['kind']) =>
      GATEWAY_NAMES.flatMap((gateway) => ledgers[gateway].filter((e) => e.checkoutId === id && e.kind === kind).map((e) => ({ gateway, ...e })));
    const authorizations = entries('authorization');
    const captures = entries('capture');
    const voids = entries('void');
    const expiries = entries('expiry');
    // The saga's compensation refunds with the checkout's key; merchants' refunds each with its refund id.
    const sagaRefundKey = `${id}:refund`;
    const gatewayRefunds = entries('refund');
    const refunds = gatewayRefunds.filter((r) => r.idempotencyKey === sagaRefundKey);
    judgeMerchantRefunds(
      gatewayRefunds.filter((r) => r.idempotencyKey !== sagaRefundKey),
      world.merchantRefunds.filter((r) => r.checkoutId === id),
      events.filter((e) => e.checkoutId === id),
      problem,
    );
    if (authorizations.length > 1) problem(`${authorizations.length} authorizations (${authorizations.map((a) => a.gateway).join(', ')})`);
    if (captures.length > 1) problem(`${captures.length} captures`);
    for (const effect of [...captures, ...voids]) {
      if (!authorizations.some((a) => a.gateway === effect.gateway)) problem(`a ${effect.kind} on the ${effect.gateway} gateway without an authorization there`);
    }

    const status = statusOf.get(id);
    if (status === undefined) continue; // still running: settlement is checked once it finishes
    const order = orderRows.find((o) => o.checkoutId === id);
    const reservations = reservationRows.filter((r) => r.checkoutId === id);
    const capture = captures[0];
    const refunded = refunds.reduce((sum, r) => sum + r.amount, 0);

    // An escalated checkout's money is what its escalation leaves to a person; everything else must hold.
    const moneyLeftToOperator = status === 'escalated';
    for (const authorization of moneyLeftToOperator ? [] : authorizations) {
      // Settled: captured, voided, or lapsed at the end of its hold (the money went back by itself).
      const settled = [...captures, ...voids, ...expiries].filter((e) => e.gateway === authorization.gateway).length;
      if (settled !== 1) problem(`authorization ${authorization.id} was neither captured, voided nor lapsed exactly once (${settled} settlements)`);
    }
    if (capture) {
      if (!order) problem(`capture ${capture.id} has no order`);
      else if (order.total !== capture.amount) problem(`capture of ${capture.amount} for an order of ${order.total}`);
      else if (order.status === 'paid' && (order.captureId !== capture.id || refunded !== 0)) problem(`paid order ${order.id} does not match its capture (captureId ${order.captureId}, refunded ${refunded})`);
      else if (order.status === 'cancelled' && refunded !== capture.amount && !moneyLeftToOperator) problem(`cancelled order ${order.id} refunded ${refunded} of ${capture.amount}`);
      else if (order.status === 'pending_payment') problem(`order ${order.id} is still pending payment after capture ${capture.id}`);
    }
    const left = reservations.filter((r) => r.status === 'reserved');
    if (left.length > 0) problem(`finished ${status} with stock still reserved (${left.map((r) => r.sku).join(', ')})`);

    if (status === 'completed') {
      if (!capture || refunded !== 0) problem(`completed without a standing capture (captures ${captures.length}, refunded by the saga ${refunded})`);
      if (order?.status !== 'paid') problem(`completed with order ${order ? order.status : 'missing'}`);
      if (reservations.length === 0 || reservations.some((r) => r.status !== 'committed')) problem(`completed without committed stock (${reservations.map((r) => r.status).join(', ') || 'no reservation'})`);
    } else {
      if (capture && refunded !== capture.amount && !moneyLeftToOperator) problem(`${status} but the customer keeps paying ${capture.amount - refunded}`);
      if (order && order.status !== 'cancelled') problem(`${status} with order ${order.status}`);
      const committed = reservations.filter((r) => r.status === 'committed');
      if (committed.length > 0) problem(`${status} with committed stock (${committed.map((r) => r.sku).join(', ')})`);
    }

    const outcomes = events.filter((e) => e.checkoutId === id && !isRefundEventType(e.type as CheckoutEventType));
    const expected = EVENT_OF_STATUS[status];
    if (outcomes.length !== 1 || outcomes[0]?.type !== expected) {
      problem(`expected one ${expected} event, found [${outcomes.map((e) => e.type).join(', ')}]`);
    }
  }
  return violations;
}

/**
 * A merchant's refunds of one checkout against the gateway's ledger and the stream: one gateway refund per
 * refund request, at its amount, once it succeeded (none when it failed; at most one while pending or
 * escalated), none that no request asked for, and one event for each refund that ended.
 */
function judgeMerchantRefunds(
  gatewayRefunds: readonly (LedgerEntry & { gateway: string })[],
  requests: WorldRecords['merchantRefunds'],
  events: WorldRecords['events'],
  problem: (message: string) => void,
): void {
  for (const entry of gatewayRefunds) {
    if (!requests.some((r) => r.id === entry.idempotencyKey)) problem(`gateway refund ${entry.id} (key ${entry.idempotencyKey}) answers no refund request`);
  }
  for (const request of requests) {
    const made = gatewayRefunds.filter((e) => e.idempotencyKey === request.id);
    const expected = request.status === 'succeeded' ? [1] : request.status === 'failed' ? [0] : [0, 1];
    if (!expected.includes(made.length)) problem(`refund ${request.id} is ${request.status} with ${made.length} gateway refunds`);
    if (request.status === 'succeeded' && made[0] && made[0].amount !== request.amount) problem(`refund ${request.id} of ${request.amount} was refunded ${made[0].amount} at the gateway`);
    const announced = events.filter((e) => e.data?.refund?.id === request.id).map((e) => e.type);
    const announcement = request.status === 'succeeded' ? ['checkout.refunded'] : request.status === 'pending' ? [] : ['checkout.refund_failed'];
    if (announced.join() !== announcement.join()) problem(`refund ${request.id} is ${request.status}, announced [${announced.join(', ')}]`);
  }
}

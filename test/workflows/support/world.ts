/** Reading what a checkout did to the world — ledgers, rows, events, history — for the workflow tests. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { type CheckoutStatus } from '../../../src/contracts/checkout.ts';
import { getCheckoutQuery } from '../../../src/contracts/workflow.ts';
import { checkoutResults, inventoryReservations, orders, products } from '../../../src/platform/db/schema/index.ts';
import type { LedgerEntry, LedgerKind } from '../../../src/roles/simulators.ts';
import type { CheckoutStack } from '../../support/checkout-stack.ts';
import { fetchEvents, fetchLedgers } from '../../support/invariants.ts';
import { testDataConverter } from '../../../harness/payload-keys.ts';
import { waitFor } from '../../support/wait-for.ts';

/** A customer no other test uses, with an email that is easy to look for where it must not appear. */
export function newCustomer(name = 'Ada') {
  const suffix = randomBytes(4).toString('hex');
  return { id: `cus_${suffix}`, email: `${name.toLowerCase()}+${suffix}@example.com`, name };
}

export type LedgerCounts = Record<LedgerKind, number>;

export const countEntries = (entries: LedgerEntry[]): LedgerCounts => ({
  authorization: entries.filter((e) => e.kind === 'authorization').length,
  capture: entries.filter((e) => e.kind === 'capture').length,
  void: entries.filter((e) => e.kind === 'void').length,
  refund: entries.filter((e) => e.kind === 'refund').length,
  expiry: entries.filter((e) => e.kind === 'expiry').length,
});

/** What each gateway did for one checkout, counted by kind. */
export async function ledgerOf(stack: CheckoutStack, checkoutId: string) {
  const { primary, secondary } = await fetchLedgers(stack, checkoutId);
  return { primary: countEntries(primary), secondary: countEntries(secondary), entries: { primary, secondary } };
}

export const NOTHING: LedgerCounts = { authorization: 0, capture: 0, void: 0, refund: 0, expiry: 0 };

export async function stockOf(stack: CheckoutStack, sku: string): Promise<number> {
  const [row] = await stack.database.db.select({ stock: products.stock }).from(products).where(eq(products.sku, sku));
  if (!row) throw new Error(`no product ${sku}`);
  return row.stock;
}

export async function orderOf(stack: CheckoutStack, checkoutId: string) {
  const [row] = await stack.database.db.select().from(orders).where(eq(orders.checkoutId, checkoutId));
  return row ?? null;
}

/** The reservation states of a checkout, one per SKU. */
export async function reservationsOf(stack: CheckoutStack, checkoutId: string): Promise<string[]> {
  const rows = await stack.database.db
    .select({ status: inventoryReservations.status })
    .from(inventoryReservations)
    .where(eq(inventoryReservations.checkoutId, checkoutId));
  return rows.map((r) => r.status);
}

/** The checkout's view as the saga last recorded it in the database (its final one once finished), or null. */
export async function recordedResultOf(stack: CheckoutStack, checkoutId: string) {
  return (await recordOf(stack, checkoutId))?.view ?? null;
}

/** The checkout's row in the list's read model: where it stands, and whether its final state is recorded. */
export async function recordOf(stack: CheckoutStack, checkoutId: string) {
  const [row] = await stack.database.db
    .select({ status: checkoutResults.status, view: checkoutResults.view, finishedAt: checkoutResults.finishedAt })
    .from(checkoutResults)
    .where(eq(checkoutResults.checkoutId, checkoutId));
  return row ? { status: row.status, view: row.view, finished: row.finishedAt !== null } : null;
}

/** The outcome events published for one checkout, by type. */
export async function eventTypesOf(stack: CheckoutStack, checkoutId: string): Promise<string[]> {
  return (await fetchEvents(stack)).filter((e) => e.checkoutId === checkoutId).map((e) => e.type);
}

/** Waits until the running saga reports `status`, and returns its live view. */
export const statusReached = (handle: WorkflowHandle, status: CheckoutStatus) =>
  waitFor(async () => {
    const view = await handle.query(getCheckoutQuery);
    return view.status === status ? view : undefined;
  }, { what: `status ${status}` });

/**
 * The attempt of each execution of an activity type, with the failure that caused a retry: a regular
 * activity's started events, or a local activity's marker (which records its final attempt only).
 */
export async function activityAttempts(handle: WorkflowHandle, activityType: string): Promise<{ attempt: number; lastFailure: string | null }[]> {
  const history = await handle.fetchHistory();
  const scheduled = new Map<string, string>();
  const attempts: { attempt: number; lastFailure: string | null }[] = [];
  for (const event of history.events ?? []) {
    const schedule = event.activityTaskScheduledEventAttributes;
    if (schedule) scheduled.set(String(event.eventId), schedule.activityType?.name ?? '');
    const started = event.activityTaskStartedEventAttributes;
    if (started && scheduled.get(String(started.scheduledEventId)) === activityType) {
      attempts.push({ attempt: started.attempt ?? 1, lastFailure: started.lastFailure?.message ?? null });
    }
    const marker = localActivityMarker(event.markerRecordedEventAttributes);
    if (marker?.activity_type === activityType) attempts.push({ attempt: marker.attempt, lastFailure: null });
  }
  return attempts;
}

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** The Web UI summaries of the history events `pick` selects, decoded through the codec as the UI does. */
export async function summariesOf(handle: WorkflowHandle, pick: (event: HistoryEvent) => unknown): Promise<(string | null)[]> {
  const [codec] = testDataConverter().payloadCodecs!;
  const events = ((await handle.fetchHistory()).events ?? []).filter(pick);
  return Promise.all(
    events.map(async (e) => {
      const summary = e.userMetadata?.summary;
      return summary ? (defaultPayloadConverter.fromPayload((await codec!.decode([summary as Payload]))[0]!) as string) : null;
    }),
  );
}

type MarkerAttributes = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number]['markerRecordedEventAttributes'];

/** What Core records of a local activity in its marker's `data` payload. */
function localActivityMarker(attributes: MarkerAttributes): { activity_type: string; attempt: number } | null {
  if (attributes?.markerName !== 'core_local_activity') return null;
  const payload = attributes.details?.data?.payloads?.[0];
  if (!payload?.data) return null;
  return JSON.parse(Buffer.from(payload.data).toString('utf8')) as { activity_type: string; attempt: number };
}

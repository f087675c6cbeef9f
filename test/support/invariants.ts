/**
 * The world invariants (harness/world-invariants.ts) asserted on a test's stack: read from its gateways'
 * ledgers, its database and its event stream, never from the sagas' own answers.
 */
import { expect } from 'vitest';
import type { NatsConnection } from 'nats';
import type { CheckoutEvent } from '../../src/contracts/events.ts';
import type { GatewayName } from '../../src/payments/gateways.ts';
import type { Database } from '../../src/platform/db/client.ts';
import { decodeCheckoutEvent } from '../../src/platform/nats/decode-event.ts';
import { contactOpener } from '../../src/platform/nats/event-contact.ts';
import type { StreamNames } from '../../src/platform/nats/provision.ts';
import { readStream } from '../../src/platform/nats/read-stream.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { fetchLedgers as fetchGatewayLedgers, readCheckoutRecords, worldViolations, type GatewayLedgers } from '../../harness/world-invariants.ts';

/** What the invariants read: the database, the gateways' ledgers and the event stream — of an in-process stack or of separate processes. */
export interface World {
  database: { db: Database };
  simulators: { urls: { gateways: Record<GatewayName, string> } };
  nc: NatsConnection;
  names: StreamNames;
}

/** Every gateway's ledger, optionally of one checkout. */
export const fetchLedgers = (stack: World, checkoutId?: string): Promise<GatewayLedgers> => fetchGatewayLedgers(stack.simulators.urls.gateways, checkoutId);

/** Every outcome event on the stack's stream, read as the subscribers read it: decoded, its contact opened with the stack's keys. */
export async function fetchEvents(stack: World): Promise<CheckoutEvent[]> {
  const open = contactOpener(testKeyring());
  const events: CheckoutEvent[] = [];
  for await (const msg of readStream(stack.nc, stack.names.stream)) {
    const decoded = decodeCheckoutEvent(msg.data);
    if (!decoded.ok) throw new Error(`stream message ${msg.seq} is not an event: ${decoded.reason}`);
    events.push(open(decoded.event));
  }
  return events;
}

/** Checks the world and fails with the list of every violation found (all checkouts the world knows, unless `checkoutIds`). */
export async function assertWorldInvariants(stack: World, checkoutIds?: readonly string[]): Promise<void> {
  const [ledgers, records, events] = await Promise.all([fetchLedgers(stack), readCheckoutRecords(stack.database.db), fetchEvents(stack)]);
  expect(worldViolations({ ledgers, events, ...records }, checkoutIds), 'world invariants').toEqual([]);
}

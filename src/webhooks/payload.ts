/**
 * What a merchant's endpoint receives for an event, Standard Webhooks' shape: `{ type, timestamp, data }`.
 * The data is the event's facts in clear — no customer contact (the merchant has its customer's), no
 * fraud score; ids, amounts, items, codes, the merchant's metadata and reference, and a refund's details.
 */
import type { ReceivedCheckoutEvent } from '../contracts/events.ts';

export function webhookBody(event: ReceivedCheckoutEvent): string {
  const { contact: _sealed, customer, fraud: _fraud, ...facts } = event.data;
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt,
    data: { eventId: event.id, checkoutId: event.checkoutId, customerId: customer.id, ...facts },
  });
}

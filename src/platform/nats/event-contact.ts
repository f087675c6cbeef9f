/**
 * The customer's contact details on the stream: sealed with the payload keys when an outcome is published,
 * opened only by the subscribers that reach the customer. The seal is bound to the event id, so a contact
 * copied into another event does not open, and an event forged without the keys cannot make the platform
 * mail or text anyone: it is dead-lettered as undeliverable.
 */
import { openBound, sealBound } from '../codec/bound-seal.ts';
import type { PayloadKeyring } from '../codec/payload-codec.ts';
import {
  SEALED_EVENT_VERSION,
  eventContactSchema,
  separateContact,
  type CheckoutEvent,
  type EventContact,
  type ReceivedCheckoutEvent,
  type SealedCheckoutEvent,
  type SealedContact,
} from '../../contracts/events.ts';
import { eventCustomerSchema, type EventCustomer } from '../../contracts/checkout.ts';
import { PermanentError } from './handler-errors.ts';

/** What each sealed value here is bound to, beside its owner's id (see bound-seal.ts). */
const EVENT_CONTACT = 'durable-checkout/event-contact/1';
const STORED_CUSTOMER = 'durable-checkout/stored-customer/1';

/** What a subscriber does with a version-1 event, whose contact is in clear: `accept` only while such events may still be in the stream. */
export type ContactsInClear = 'refuse' | 'accept';

/** Why an event's contact cannot be read: the event can never be delivered (a poison message). */
export class UnreadableContactError extends Error {
  override name = 'UnreadableContactError';
}

/** The stream's shape of an outcome: contact sealed, failure by code. */
export function sealCheckoutEvent(event: CheckoutEvent, keyring: PayloadKeyring): SealedCheckoutEvent {
  const { inClear, contact } = separateContact(event.data);
  return { ...event, version: SEALED_EVENT_VERSION, data: { ...inClear, contact: { sealed: sealBound(keyring, EVENT_CONTACT, event.id, JSON.stringify(contact)) } } };
}

/** Opens the contact of received events with the given keys; version-1 events as `inClear` says. */
export function contactOpener(keyring: PayloadKeyring, inClear: ContactsInClear = 'refuse') {
  const open = (event: ReceivedCheckoutEvent): EventContact => {
    const { contact } = event.data;
    if ('clear' in contact) {
      if (inClear === 'accept') return contact.clear;
      throw new UnreadableContactError(
        `event ${event.id} carries its customer's contact in clear (version ${event.version}, published before contacts were sealed); ` +
          'set EVENT_CONTACTS_IN_CLEAR=accept while such events may still be in the stream',
      );
    }
    const keyId = JSON.stringify(contact.sealed.keyId);
    const opened = openBound(keyring, EVENT_CONTACT, event.id, contact.sealed);
    if ('problem' in opened) {
      throw new UnreadableContactError(
        opened.problem === 'unknown_key'
          ? `event ${event.id}: its contact is sealed with key id ${keyId}, which is not configured; add it to PAYLOAD_KEYS`
          : `event ${event.id}: its contact does not open with key id ${keyId} (altered, or copied from another event)`,
      );
    }
    return eventContactSchema.parse(JSON.parse(opened.text));
  };
  /** The outcome in clear, for a subscriber that reaches its customer. */
  return (event: ReceivedCheckoutEvent): CheckoutEvent => {
    const { contact: _sealed, customer, ...facts } = event.data;
    return { ...event, version: 1, data: { ...facts, customer: { ...customer, ...open(event) } } };
  };
}

export type ContactOpener = ReturnType<typeof contactOpener>;

/**
 * A checkout's customer sealed for storage beside its recorded state (a refund's event needs the contact the
 * checkout's outcome carried), bound to the checkout: copied to another checkout's row, it does not open.
 */
export const sealStoredCustomer = (customer: EventCustomer, checkoutId: string, keyring: PayloadKeyring): SealedContact =>
  sealBound(keyring, STORED_CUSTOMER, checkoutId, JSON.stringify(customer));

/** The customer `sealStoredCustomer` sealed, or an UnreadableContactError naming why not. */
export function openStoredCustomer(sealed: SealedContact, checkoutId: string, keyring: PayloadKeyring): EventCustomer {
  const keyId = JSON.stringify(sealed.keyId);
  const opened = openBound(keyring, STORED_CUSTOMER, checkoutId, sealed);
  if ('problem' in opened) {
    throw new UnreadableContactError(
      opened.problem === 'unknown_key'
        ? `checkout ${checkoutId}: its customer is sealed with key id ${keyId}, which is not configured; add it to PAYLOAD_KEYS`
        : `checkout ${checkoutId}: its stored customer does not open with key id ${keyId}`,
    );
  }
  return eventCustomerSchema.parse(JSON.parse(opened.text));
}

/** For a subscriber's handler: the outcome in clear, or a permanent failure (to the dead letters) when its contact cannot be read. */
export function openForDelivery(contacts: ContactOpener, event: ReceivedCheckoutEvent): CheckoutEvent {
  try {
    return contacts(event);
  } catch (error) {
    if (error instanceof UnreadableContactError) throw new PermanentError(error.message);
    throw error;
  }
}

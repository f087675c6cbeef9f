/** How the subscribers that reach customers open an event's sealed contact. */
import type { Config } from '../config/index.ts';
import { payloadKeyringOf } from '../platform/codec/payload-keys.ts';
import { contactOpener, type ContactOpener } from '../platform/nats/event-contact.ts';

/** With this configuration's payload keys, contacts in clear (version-1 events) as configured. */
export const contactOpenerOf = (config: Config): ContactOpener => contactOpener(payloadKeyringOf(config), config.nats.contactsInClear);

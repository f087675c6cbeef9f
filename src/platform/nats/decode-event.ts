/** Turns a message payload into a checkout event as received, or says why it can never be one (a poison message). */
import {
  CURRENT_EVENT_VERSION,
  SEALED_EVENT_VERSION,
  checkoutEventSchema,
  sealedCheckoutEventSchema,
  separateContact,
  type ReceivedCheckoutEvent,
} from '../../contracts/events.ts';

export type DecodedEvent = { ok: true; event: ReceivedCheckoutEvent } | { ok: false; reason: string; eventId: string | null };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A version-1 event (contact in clear, published before contacts were sealed) read into the received shape. */
function fromClearEvent(json: unknown) {
  const parsed = checkoutEventSchema.safeParse(json);
  if (!parsed.success) return parsed;
  const { inClear, contact } = separateContact(parsed.data.data);
  return { success: true as const, data: { ...parsed.data, data: { ...inClear, contact: { clear: contact } } } satisfies ReceivedCheckoutEvent };
}

export function decodeCheckoutEvent(data: Uint8Array): DecodedEvent {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}`, eventId: null };
  }
  const eventId = typeof (json as { id?: unknown })?.id === 'string' ? (json as { id: string }).id : null;
  const version = (json as { version?: unknown })?.version;
  if (typeof version === 'number' && version !== CURRENT_EVENT_VERSION && version !== SEALED_EVENT_VERSION) {
    return { ok: false, reason: `unsupported event version ${version} (this consumer reads versions ${CURRENT_EVENT_VERSION} and ${SEALED_EVENT_VERSION})`, eventId };
  }
  const parsed = version === CURRENT_EVENT_VERSION ? fromClearEvent(json) : sealedCheckoutEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, reason: `schema violation: ${issues.join('; ')}`, eventId };
  }
  return { ok: true, event: parsed.data };
}

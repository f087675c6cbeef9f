/** Turns a message payload into a checkout event, or says why it can never be one (a poison message). */
import { CURRENT_EVENT_VERSION, checkoutEventSchema, type CheckoutEvent } from '../contracts/events.ts';

export type DecodedEvent = { ok: true; event: CheckoutEvent } | { ok: false; reason: string; eventId: string | null };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeCheckoutEvent(data: Uint8Array): DecodedEvent {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}`, eventId: null };
  }
  const eventId = typeof (json as { id?: unknown })?.id === 'string' ? (json as { id: string }).id : null;
  const version = (json as { version?: unknown })?.version;
  if (typeof version === 'number' && version !== CURRENT_EVENT_VERSION) {
    return { ok: false, reason: `unsupported event version ${version} (this consumer reads version ${CURRENT_EVENT_VERSION})`, eventId };
  }
  const parsed = checkoutEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, reason: `schema violation: ${issues.join('; ')}`, eventId };
  }
  return { ok: true, event: parsed.data };
}

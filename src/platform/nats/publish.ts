/**
 * Publishes a checkout event, its contact sealed (see event-contact.ts), on the subject of its outcome and its customer's first channel (see
 * `subjectFor`), so each durable consumer is sent only what it acts on; with `Nats-Msg-Id`, so a retried
 * publish is stored once by the stream (the id is the event's, whatever the subject); and with the publishing
 * span's `traceparent` in its headers, so each subscriber's work continues the checkout's trace.
 */
import { SpanKind } from '@opentelemetry/api';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import type { PayloadKeyring } from '../codec/payload-codec.ts';
import { checkoutEventSchema, type CheckoutEvent } from '../../contracts/events.ts';
import { activeTraceHeaders, inSpan } from '../telemetry/tracing.ts';
import { sealCheckoutEvent } from './event-contact.ts';
import { eventSubjectFor, type StreamNames } from './provision.ts';

export interface PublishOutcome {
  stream: string;
  seq: number;
  /** True when the stream already held this event id: nothing new was stored. */
  duplicate: boolean;
}

export async function publishCheckoutEvent(nc: NatsConnection, names: StreamNames, event: CheckoutEvent, keyring: PayloadKeyring): Promise<PublishOutcome> {
  const valid = checkoutEventSchema.parse(event);
  // The subject names the customer's first channel: chosen here, where the contact is still in clear.
  const subject = eventSubjectFor(names, valid);
  const sealed = sealCheckoutEvent(valid, keyring);
  const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': valid.id, 'checkout.id': valid.checkoutId };
  return inSpan(`publish ${subject}`, { kind: SpanKind.PRODUCER, attributes }, async (span) => {
    const trace = activeTraceHeaders();
    const headers = Object.keys(trace).length > 0 ? natsHeaders() : undefined;
    for (const [key, value] of Object.entries(trace)) headers!.set(key, value);
    const ack = await nc.jetstream().publish(subject, JSON.stringify(sealed), { msgID: valid.id, expect: { streamName: names.stream }, headers });
    span.setAttributes({ 'messaging.nats.stream.sequence': ack.seq, 'messaging.nats.duplicate': ack.duplicate });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  });
}

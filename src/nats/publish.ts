/** Publishes a checkout event with `Nats-Msg-Id`, so a retried publish is stored once by the stream. */
import type { NatsConnection } from 'nats';
import { checkoutEventSchema, type CheckoutEvent } from '../contracts/events.ts';
import { subjectFor, type StreamNames } from './provision.ts';

export interface PublishOutcome {
  stream: string;
  seq: number;
  /** True when the stream already held this event id: nothing new was stored. */
  duplicate: boolean;
}

export async function publishCheckoutEvent(nc: NatsConnection, names: StreamNames, event: CheckoutEvent): Promise<PublishOutcome> {
  const valid = checkoutEventSchema.parse(event);
  const ack = await nc.jetstream().publish(subjectFor(names, valid.type), JSON.stringify(valid), {
    msgID: valid.id,
    expect: { streamName: names.stream },
  });
  return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
}

/** Publishes a checkout's outcome event; the derived event id makes a retried publish a stream-side no-op. */
import type { NatsConnection } from 'nats';
import type { CheckoutEvent } from '../src/contracts/events.ts';
import { publishCheckoutEvent } from '../src/nats/publish.ts';
import type { StreamNames } from '../src/nats/provision.ts';

export const createEventActivities = ({ nc, names }: { nc: NatsConnection; names: StreamNames }) => ({
  async publishOutcome(event: CheckoutEvent): Promise<{ seq: number; duplicate: boolean }> {
    const { seq, duplicate } = await publishCheckoutEvent(nc, names, event);
    return { seq, duplicate };
  },
});

export type EventActivities = ReturnType<typeof createEventActivities>;

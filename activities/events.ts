/** Publishes a checkout's outcome event, its customer contact sealed; the derived event id makes a retried publish a stream-side no-op. */
import { Context } from '@temporalio/activity';
import type { NatsConnection } from 'nats';
import type { PayloadKeyring } from '../src/platform/codec/payload-codec.ts';
import type { CheckoutEvent } from '../src/contracts/events.ts';
import { publishCheckoutEvent } from '../src/platform/nats/publish.ts';
import type { StreamNames } from '../src/platform/nats/provision.ts';

export const createEventActivities = ({ nc, names, keyring }: { nc: NatsConnection; names: StreamNames; keyring: PayloadKeyring }) => ({
  async publishOutcome(event: CheckoutEvent): Promise<{ seq: number; duplicate: boolean }> {
    const { seq, duplicate } = await publishCheckoutEvent(nc, names, event, keyring);
    // Counted where the outcome becomes a fact, once: a retried publish the stream dropped is not counted.
    if (!duplicate) {
      Context.current()
        .metricMeter.createCounter('checkouts_finished', 'checkouts', 'Checkouts that reached a final state, by outcome')
        .add(1, { outcome: event.type.replace(/^checkout\./, '') });
    }
    return { seq, duplicate };
  },
});

export type EventActivities = ReturnType<typeof createEventActivities>;

/** A message of the checkout stream as a consumer's handler gets it: the event and where it came from. */
import type { ReceivedCheckoutEvent } from '../../contracts/events.ts';

export interface ConsumedEvent {
  event: ReceivedCheckoutEvent;
  streamSeq: number;
  subject: string;
  /** 1 on the first delivery. */
  deliveries: number;
  /** The dead-letter sequence this message replays, when it is a replay. */
  replayOf: string | null;
}

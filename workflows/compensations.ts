/**
 * The saga's stack of undo steps. A step's compensation is pushed *before* the step runs (so a step that
 * changed the world and then failed to report it is still undone), and the stack runs newest first in a
 * scope that cancellation cannot interrupt.
 *
 * Each round tries every pending compensation, so one that keeps failing does not hold up the others (stock
 * is released even while a gateway refuses a void). A failed one is tried again next round, after a pause
 * that grows to ten minutes; one that can never succeed (`CompensationEscalation`), or still fails after
 * `GIVE_UP_AFTER_MS`, is escalated: set aside with its reason for a person to finish. The rounds are
 * bounded, so the history is too.
 */
import { CancellationScope, log, sleep } from '@temporalio/workflow';
import { humanDuration } from '../src/platform/human-duration.ts';
import { paymentSafety } from './versions.ts';

export interface Compensation {
  /** What the step undoes, for status and logs, e.g. "release inventory". */
  name: string;
  run: () => Promise<void>;
}

export interface Escalation {
  step: string;
  reason: string;
}

export interface CompensationProgress {
  pending: string[];
  attempts: number;
  lastError: string | null;
  escalated: Escalation[];
}

/** A compensation that retrying cannot make succeed (e.g. the gateway does not know the authorization). */
export class CompensationEscalation extends Error {
  override name = 'CompensationEscalation';
}

/** Upper bound of the pause between rounds of a compensation that keeps failing. */
const MAX_PAUSE_MS = 10 * 60_000;
/** How long a compensation may keep failing before it is escalated: about 150 rounds, a few thousand events. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

const messageOf = (error: unknown) =>
  error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);

export class Compensations {
  private readonly stack: Compensation[] = [];

  constructor(private readonly onProgress: (progress: CompensationProgress) => void = () => undefined) {}

  add(name: string, run: () => Promise<void>): void {
    this.stack.push({ name, run });
  }

  get size(): number {
    return this.stack.length;
  }

  /** Runs every compensation, newest first, until each has succeeded or been escalated; returns the escalations. */
  async runAll(): Promise<Escalation[]> {
    return CancellationScope.nonCancellable(async () => {
      const pending = [...this.stack].reverse();
      const escalated: Escalation[] = [];
      let attempts = 0;
      let lastError: string | null = null;
      let failingSince: number | null = null;
      const report = () => this.onProgress({ pending: pending.map((c) => c.name), attempts, lastError, escalated: [...escalated] });

      while (pending.length > 0) {
        for (const next of [...pending]) {
          try {
            await next.run();
            pending.splice(pending.indexOf(next), 1);
          } catch (error) {
            attempts += 1;
            const message = messageOf(error);
            if (error instanceof CompensationEscalation) {
              log.error('compensation escalated: it cannot succeed by retrying', { compensation: next.name, error: message });
              pending.splice(pending.indexOf(next), 1);
              escalated.push({ step: next.name, reason: message });
              continue;
            }
            // Each activity already retried with backoff; the rounds keep the saga alive and visible (status
            // shows the pending undo steps and the last error) until the outside world recovers.
            log.error('compensation failed; retrying', { compensation: next.name, attempts, error: message });
            lastError = `${next.name}: ${message}`;
            failingSince ??= Date.now();
            // Before payment safety, a failed compensation was retried alone until it succeeded.
            if (!paymentSafety()) break;
          }
        }
        if (pending.length === 0) lastError = null;
        report();
        if (pending.length === 0) break;
        if (failingSince !== null && Date.now() - failingSince >= GIVE_UP_AFTER_MS && paymentSafety()) {
          for (const stuck of pending.splice(0)) escalated.push({ step: stuck.name, reason: `still failing after ${attempts} attempts: ${lastError}` });
          report();
          break;
        }
        const pause = Math.min(MAX_PAUSE_MS, 1_000 * 2 ** Math.min(attempts, 10));
        await sleep(pause, { summary: `pause before the next compensation round (${humanDuration(pause)})` });
      }
      return escalated;
    });
  }
}

/** The saga's undo steps, in the order they are registered when all are registered at once. */
export type UndoStepName = 'release inventory' | 'cancel order' | 'void authorization' | 'refund capture';

/**
 * Registers the saga's undo steps: each before its step — or, on local authorization, all of them before
 * the first step. A batch runs reserve, score, authorize, order and capture in one workflow task; a worker
 * that dies before the task completes leaves their effects in the world, and the retried task may stop
 * earlier than its dead attempt went (a cancel accepted on arrival, a fraud service now down). Each undo asks
 * the world (release stock whatever its state, cancel an order if one exists, void what the last gateway
 * asked holds), so registering all of them first undoes whatever the dead attempt did. Their order runs the
 * refunds and voids before the order is cancelled: a paid order is cancelled once its money went back.
 */
export class UndoSteps {
  constructor(
    private readonly saga: Compensations,
    private readonly path: { localAuthorization: boolean },
    private readonly steps: Record<UndoStepName, () => Promise<void>>,
  ) {
    if (path.localAuthorization) for (const [name, run] of Object.entries(steps)) saga.add(name, run);
  }

  /** Called before the step `name` undoes: registers it there, unless all were registered at the start. */
  before(name: UndoStepName): void {
    if (!this.path.localAuthorization) this.saga.add(name, this.steps[name]);
  }
}

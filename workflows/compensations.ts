/**
 * The saga's stack of undo steps. A step's compensation is pushed *before* the step runs (so a step that
 * changed the world and then failed to report it is still undone), and the stack runs in reverse order in
 * a scope that cancellation cannot interrupt. Each compensation is retried until it succeeds; failures are
 * counted and reported, never swallowed.
 */
import { CancellationScope, log, sleep } from '@temporalio/workflow';

export interface Compensation {
  /** What the step undoes, for status and logs, e.g. "release inventory". */
  name: string;
  run: () => Promise<void>;
}

export interface CompensationProgress {
  pending: string[];
  attempts: number;
  lastError: string | null;
}

/** Upper bound of the pause between rounds of a compensation that keeps failing. */
const MAX_PAUSE_MS = 10 * 60_000;

export class Compensations {
  private readonly stack: Compensation[] = [];

  constructor(private readonly onProgress: (progress: CompensationProgress) => void = () => undefined) {}

  add(name: string, run: () => Promise<void>): void {
    this.stack.push({ name, run });
  }

  get size(): number {
    return this.stack.length;
  }

  /** Runs every compensation, newest first; resolves only when all have succeeded. */
  async runAll(): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      const pending = [...this.stack].reverse();
      let attempts = 0;
      while (pending.length > 0) {
        const next = pending[0]!;
        try {
          await next.run();
          pending.shift();
          this.onProgress({ pending: pending.map((c) => c.name), attempts, lastError: null });
        } catch (error) {
          attempts += 1;
          const message = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
          // Each activity already retried with backoff; this outer loop keeps the saga alive and visible
          // (status shows the pending undo steps and the last error) until the outside world recovers.
          log.error('compensation failed; retrying', { compensation: next.name, attempts, error: message });
          this.onProgress({ pending: pending.map((c) => c.name), attempts, lastError: `${next.name}: ${message}` });
          await sleep(Math.min(MAX_PAUSE_MS, 1_000 * 2 ** Math.min(attempts, 10)));
        }
      }
    });
  }
}

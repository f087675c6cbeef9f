/** Stops what a process started, newest first, once, whether it is shutting down or failed to start. */
import type { Logger } from '../platform/logger.ts';

export class Lifecycle {
  private readonly stops: { name: string; stop: () => Promise<unknown> }[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly logger: Logger) {}

  /** Registers how to stop something that has just started. */
  add(name: string, stop: () => Promise<unknown>): void {
    this.stops.push({ name, stop });
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, stop } of [...this.stops].reverse()) {
        try {
          await stop();
          this.logger.debug({ part: name }, 'stopped');
        } catch (error) {
          // Keep stopping the rest: a part that fails to stop must not leave the others running.
          this.logger.error({ part: name, err: error }, 'failed to stop cleanly');
        }
      }
    })();
    return this.stopping;
  }

  /** Stops everything on SIGINT, SIGTERM or SIGHUP, then exits. */
  stopOnSignals(onStopped: () => void = () => process.exit(0)): void {
    const handler = (signal: NodeJS.Signals) => {
      this.logger.info({ signal }, 'stopping');
      void this.stopAll().then(onStopped);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, handler);
  }
}

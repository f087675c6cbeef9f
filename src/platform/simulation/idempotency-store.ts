/**
 * Stripe-style idempotency for a simulator: one effect per key, the stored answer replayed verbatim, the key
 * refused when reused with other parameters, and a concurrent duplicate waiting for the first instead of
 * repeating its effect.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface StoredResponse {
  status: ContentfulStatusCode;
  body: object;
}

export interface KeptAnswer {
  key: string;
  fingerprint: string;
  response: StoredResponse;
}

export type IdempotentOutcome<R> =
  | { kind: 'fresh'; result: R }
  | { kind: 'replayed'; response: StoredResponse }
  | { kind: 'conflict' };

/** Answers that say nothing was done (5xx) are not kept, so a retry with the same key tries again. */
const keepUnlessServerError = (response: StoredResponse) => response.status < 500;

export class IdempotencyStore {
  readonly #done = new Map<string, Omit<KeptAnswer, 'key'>>();
  readonly #inFlight = new Map<string, { fingerprint: string; settled: Promise<void> }>();

  /**
   * `onKept` hears of every answer kept, so the caller can store it durably beside the effect it answers
   * (and give it back with `restore` after a restart).
   */
  constructor(
    private readonly onKept: (record: KeptAnswer) => void = () => undefined,
    private readonly keep: (response: StoredResponse) => boolean = keepUnlessServerError,
  ) {}

  restore({ key, fingerprint, response }: KeptAnswer): void {
    this.#done.set(key, { fingerprint, response });
  }

  /** Runs `execute` unless `key` already has an answer (replayed) or belongs to other parameters (conflict). */
  async run<R extends StoredResponse>(key: string, fingerprint: string, execute: () => Promise<R> | R): Promise<IdempotentOutcome<R>> {
    for (;;) {
      const done = this.#done.get(key);
      if (done) return done.fingerprint === fingerprint ? { kind: 'replayed', response: done.response } : { kind: 'conflict' };
      const pending = this.#inFlight.get(key);
      if (!pending) break;
      if (pending.fingerprint !== fingerprint) return { kind: 'conflict' };
      // The first attempt may end without a kept answer (a 503); then the loop lets one waiter try again.
      await pending.settled;
    }
    let settle!: () => void;
    this.#inFlight.set(key, { fingerprint, settled: new Promise<void>((resolve) => (settle = resolve)) });
    try {
      const result = await execute();
      if (this.keep(result)) {
        const kept = { key, fingerprint, response: { status: result.status, body: result.body } };
        this.#done.set(key, kept);
        this.onKept(kept);
      }
      return { kind: 'fresh', result };
    } finally {
      this.#inFlight.delete(key);
      settle();
    }
  }
}

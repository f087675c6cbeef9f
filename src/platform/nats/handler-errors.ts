/** What a handler throws to tell the consume loop how to settle a message it could not handle. */
/** A handler error that retrying cannot fix: the message is dead-lettered at once. */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

/** A transient handler error that says when to try again. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/**
 * Groups an async iterator's items into batches: a batch is handed out when it is full or when no further
 * item arrived within `lingerMs`, so a quiet stream is not held back waiting for a full batch.
 */
export async function* inBatches<T>(source: AsyncIterable<T>, size: number, lingerMs: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  // A `next()` that lost the race against the linger timer is kept for the following batch, never dropped.
  let pending: Promise<IteratorResult<T>> | null = null;
  const next = () => (pending ??= iterator.next());
  for (;;) {
    const first = await next();
    pending = null;
    if (first.done) return;
    const batch = [first.value];
    while (batch.length < size) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'linger'>((resolve) => (timer = setTimeout(() => resolve('linger'), lingerMs)));
      const result = await Promise.race([next(), timeout]);
      clearTimeout(timer);
      if (result === 'linger') break;
      pending = null;
      if (result.done) {
        yield batch;
        return;
      }
      batch.push(result.value);
    }
    yield batch;
  }
}

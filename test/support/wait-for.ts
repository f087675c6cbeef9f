/** Polling for things that happen at their own pace (consumers, sagas, processes). */

/**
 * Polls until `check` returns a truthy value and returns it, or fails after `timeoutMs` naming `what` and
 * the last error the check threw.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`, { cause: last });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

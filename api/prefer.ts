/** `Prefer: wait=N` (RFC 7240): how long a client asks the server to hold a response, capped at 30 seconds. */

/** The longest wait the API honours. */
export const MAX_WAIT_SECONDS = 30;

/** Seconds to wait, or null for no (or an unusable) wait preference. Values above the cap are lowered to it. */
export function preferredWait(header: string | undefined): number | null {
  if (!header) return null;
  for (const preference of header.split(',')) {
    const match = /^\s*wait\s*=\s*"?(\d{1,9})"?\s*(;.*)?$/i.exec(preference);
    if (!match) continue;
    const seconds = Number(match[1]);
    return seconds === 0 ? null : Math.min(seconds, MAX_WAIT_SECONDS);
  }
  return null;
}

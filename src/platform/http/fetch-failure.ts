/**
 * What a failed `fetch()` says about its request: a network error raised before the request left (connection
 * refused, unknown host, no connection within the connect timeout) proves the server did nothing; any other
 * failure — a timeout, a reset, a body cut off — may have come after the server acted.
 */

/** Node's codes for a request that never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether the request of a `fetch()` that threw `error` may have reached the server (and had its effect). */
export function mayHaveBeenSent(error: unknown): boolean {
  const code = ((error as Error | undefined)?.cause as NodeJS.ErrnoException | undefined)?.code;
  return !(code !== undefined && NOT_SENT_CODES.has(code));
}

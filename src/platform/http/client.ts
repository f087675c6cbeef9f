/**
 * A JSON POST with a per-request timeout; network failures and timeouts surface as TransientHttpError. Each
 * call is a client span (`POST <route>`) whose context travels in the request's `traceparent` header.
 */
import { mayHaveBeenSent } from './fetch-failure.ts';
import { inClientSpan } from '../telemetry/tracing.ts';

/**
 * Whether a failed request may still have had its effect: `not_done` when the service said so (503, 429) or
 * the request never left (connection refused, unknown host); `unknown` when the answer was lost (timeout,
 * reset, other 5xx, a body cut off) — only a retry with the same idempotency key can tell.
 */
export type RequestOutcome = 'not_done' | 'unknown';

/** A failure worth retrying: the service may answer next time (5xx, timeout, refused connection). */
export class TransientHttpError extends Error {
  override name = 'TransientHttpError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly outcome: RequestOutcome = 'unknown',
  ) {
    super(message);
  }
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

export interface PostOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** The path as a template (`/v1/authorizations/{id}/capture`), naming the span; the URL's path by default. */
  route?: string;
}

export function postJson(url: string, body: unknown, options: PostOptions): Promise<JsonResponse> {
  return inClientSpan(
    { method: 'POST', url, route: options.route ?? new URL(url).pathname },
    (traceHeaders) => post(url, body, { ...options, headers: { ...options.headers, ...traceHeaders } }),
    (response) => ({ status: response.status }),
  );
}

async function post(url: string, body: unknown, options: PostOptions): Promise<JsonResponse> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
      // A redirect is never followed: a 307 would send the body — a card token — wherever it points.
      redirect: 'manual',
    });
  } catch (error) {
    const err = error as Error;
    const reason = err.name === 'TimeoutError' ? `no response within ${options.timeoutMs} ms` : err.message;
    throw new TransientHttpError(`POST ${url}: ${reason}`, null, mayHaveBeenSent(err) ? 'unknown' : 'not_done');
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The service answered and the body broke off: it may well have acted.
    throw new TransientHttpError(`POST ${url}: HTTP ${response.status}, body cut off: ${(error as Error).message}`, response.status, 'unknown');
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { raw: text.slice(0, 200) };
  }
  if (response.status >= 500 || response.status === 429) {
    const outcome = response.status === 503 || response.status === 429 ? 'not_done' : 'unknown';
    throw new TransientHttpError(`POST ${url}: HTTP ${response.status}`, response.status, outcome);
  }
  return { status: response.status, body: parsed };
}

/** An answer that is not the protocol's (a status or a body the client cannot read): whether the service acted is unknown. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

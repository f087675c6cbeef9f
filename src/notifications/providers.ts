/**
 * The HTTP contract of an SMS or push provider, from the caller's side: `POST /v1/messages` with an
 * `Idempotency-Key` (a retry with the same key never sends twice), `GET /v1/messages/{key}` to ask whether a
 * key was sent. Every answer becomes an attempt result the delivery rules understand.
 */
import { mayHaveBeenSent } from '../platform/http/fetch-failure.ts';
import { inClientSpan } from '../platform/telemetry/tracing.ts';
import type { AttemptResult } from './delivery-rules.ts';

export interface ProviderAnswer {
  result: AttemptResult;
  /** The provider's message id when accepted. */
  id: string | null;
  /** Why not, for the delivery record (never the recipient). */
  error: string | null;
  /**
   * An attempt that failed but may have sent: its answer was lost (a timeout, a cut connection, a 5xx that
   * is not "try later"). Only the provider, asked by key, can then say what it did.
   */
  mayHaveSent?: boolean;
}

/** `sent`: whether the request may have reached the provider (false only when the connection never opened). */
type Answer = { status: number; body: Record<string, unknown> } | { error: string; sent: boolean };


/** One call to a provider, as a client span named by `route` whose trace goes with the request. */
function request(url: string, route: string, init: RequestInit & { method: string; headers?: Record<string, string> }, timeoutMs: number): Promise<Answer> {
  return inClientSpan(
    { method: init.method, url, route },
    (traceHeaders) => send(url, { ...init, headers: { ...init.headers, ...traceHeaders } }, timeoutMs),
    (answer) => answer,
  );
}

async function send(url: string, init: RequestInit, timeoutMs: number): Promise<Answer> {
  try {
    // A redirect is never followed: a 307 would send the message and its recipient wherever it points.
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // A garbled answer counts by its status alone.
    }
    return { status: response.status, body };
  } catch (error) {
    const err = error as Error;
    return { error: err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message, sent: mayHaveBeenSent(err) };
  }
}

const codeOf = (body: Record<string, unknown>) => String((body.error as { code?: unknown } | undefined)?.code ?? 'error');

export async function sendThroughProvider(baseUrl: string, message: { to: string; text: string; key: string }, timeoutMs: number): Promise<ProviderAnswer> {
  const answer = await request(
    `${baseUrl}/v1/messages`,
    '/v1/messages',
    { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': message.key }, body: JSON.stringify({ to: message.to, text: message.text }) },
    timeoutMs,
  );
  if ('error' in answer) return { result: 'unavailable', id: null, error: answer.error, mayHaveSent: answer.sent };
  const { status, body } = answer;
  if (status === 200 || status === 201) return { result: 'accepted', id: typeof body.id === 'string' ? body.id : null, error: null };
  // 422: the provider will never deliver to this recipient; 4xx other than a rate limit: it will never take this request.
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return { result: 'rejected', id: null, error: `HTTP ${status} ${codeOf(body)}` };
  // 503 and 429 say nothing was done; any other failure may have sent.
  return { result: 'unavailable', id: null, error: `HTTP ${status} ${codeOf(body)}`, mayHaveSent: status !== 503 && status !== 429 };
}

/** Whether the provider has a message under `key`: the answer to "did the attempt whose answer was lost send?". */
export async function lookupAtProvider(baseUrl: string, key: string, timeoutMs: number): Promise<{ sent: true; id: string | null } | { sent: false } | { sent: 'unknown' }> {
  const answer = await request(`${baseUrl}/v1/messages/${encodeURIComponent(key)}`, '/v1/messages/{key}', { method: 'GET' }, timeoutMs);
  if ('error' in answer) return { sent: 'unknown' };
  if (answer.status === 200) return { sent: true, id: typeof answer.body.id === 'string' ? answer.body.id : null };
  if (answer.status === 404) return { sent: false };
  return { sent: 'unknown' };
}

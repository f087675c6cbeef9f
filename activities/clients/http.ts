/** A JSON POST with a per-request timeout; network failures and timeouts surface as TransientHttpError. */

/** A failure worth retrying: the service may answer next time (5xx, timeout, refused connection). */
export class TransientHttpError extends Error {
  override name = 'TransientHttpError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

export async function postJson(
  url: string,
  body: unknown,
  options: { timeoutMs: number; headers?: Record<string, string>; fetch?: typeof fetch },
): Promise<JsonResponse> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const err = error as Error;
    const reason = err.name === 'TimeoutError' ? `no response within ${options.timeoutMs} ms` : err.message;
    throw new TransientHttpError(`POST ${url}: ${reason}`, null);
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { raw: text.slice(0, 200) };
  }
  if (response.status >= 500 || response.status === 429) {
    throw new TransientHttpError(`POST ${url}: HTTP ${response.status}`, response.status);
  }
  return { status: response.status, body: parsed };
}

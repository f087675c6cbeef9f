/** How the API answers what goes wrong: unknown routes as 404 problems, anything thrown as the problem it maps to. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isDatabaseUnreachable } from '../src/platform/db/client.ts';
import { CheckoutStartUnsettledError, CheckoutsUnavailableError } from '../src/checkouts/temporal-checkouts.ts';
import type { AppEnv } from './context.ts';
import { ApiError, PROBLEMS, problemResponse, type ProblemCode } from './errors.ts';

/** Maps anything thrown to a problem; unknown errors become a generic 500 and are logged, never shown. */
function toProblem(error: unknown, c: Context<AppEnv>): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Thrown by Hono's own middleware (validator, body limit, media-type gate) or a mounted sub-app.
    if (error.status === 400) return new ApiError('malformed_json', 'The request body is not valid JSON.');
    if (error.status === 413) return new ApiError('payload_too_large', 'The request body is too large.');
    if (error.status === 415) return new ApiError('unsupported_media_type', 'Send the body as JSON with `Content-Type: application/json`.');
    const code = (Object.keys(PROBLEMS) as ProblemCode[]).find((candidate) => PROBLEMS[candidate].status === error.status);
    if (code && error.status < 500) return new ApiError(code, error.message || PROBLEMS[code].title);
  }
  if (error instanceof CheckoutStartUnsettledError) {
    // The checkout may be running: its id lets the client look (GET) before it retries without a key.
    c.get('logger')?.warn({ err: error, checkoutId: error.checkoutId }, 'checkout start unsettled');
    return new ApiError(
      'service_unavailable',
      `The checkout service did not confirm the start of checkout ${error.checkoutId}, which may be running: look it up at its Location before retrying, or retry with an Idempotency-Key.`,
      { headers: { 'retry-after': '1', location: `/v1/checkouts/${error.checkoutId}` } },
    );
  }
  // Temporal or the database out of reach: "try again shortly", never a 500.
  const unavailable = error instanceof CheckoutsUnavailableError ? 'checkout service' : isDatabaseUnreachable(error) ? 'database' : null;
  if (unavailable) {
    c.get('logger')?.warn({ err: error }, `${unavailable} unavailable`);
    return new ApiError('service_unavailable', 'The checkout service is temporarily unavailable; retry shortly.', { headers: { 'retry-after': '1' } });
  }
  c.get('logger')?.error({ err: error }, 'unexpected error');
  return new ApiError('internal_error', 'Something went wrong on our side. Retrying with the same Idempotency-Key is safe.');
}

/** Unknown routes as 404 problems, and anything thrown as the problem it maps to. */
export function answerProblems(app: OpenAPIHono<AppEnv>): void {
  const answer = (c: Context<AppEnv>, problem: ApiError) => {
    c.set('problem', problem.code);
    return problemResponse(c, problem);
  };
  app.notFound((c) => answer(c, new ApiError('not_found', `No route ${c.req.method} ${c.req.path}.`)));
  app.onError((error, c) => answer(c, toProblem(error, c)));
}

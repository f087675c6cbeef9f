/** `createRouter()`: an OpenAPI router of this API, its schema failures answered as problem+json. */
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import { ApiError, fieldErrors } from './errors.ts';
import type { AppEnv } from './context.ts';

/** Turns a failed schema validation into a 400 listing every offending path (a malformed path id is a 404). */
const validationHook: Hook<unknown, AppEnv, string, undefined> = (result, c) => {
  if (result.success) return;
  if (result.target === 'param') throw new ApiError('not_found', `Nothing exists at ${c.req.path}.`);
  const errors = fieldErrors(result.error);
  const what = result.target === 'json' ? 'body' : result.target === 'header' ? 'headers' : result.target;
  throw new ApiError('invalid_request', `The request ${what} did not pass validation: ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}.`, {
    errors,
  });
};

/** A router for the app or one of its resources; mounted with `app.route('/', …)`, its routes join the app's OpenAPI document. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

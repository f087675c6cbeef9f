/** Guards a JSON body before schema validation: size (413), content type (415) and syntax (400), in that order. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../context.ts';

/** The largest request body the API reads. */
export const MAX_BODY_BYTES = 64 * 1024;

const isJson = (contentType: string) => /^application\/json\s*(;|$)/i.test(contentType.trim());

/** Rejects bodies over `MAX_BODY_BYTES` without parsing them. */
export const limitBody = (): MiddlewareHandler<AppEnv> =>
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    },
  });

/**
 * Requires `Content-Type: application/json` and a parseable body. With `optional`, a request without a
 * body (or with an empty one) passes as `{}`.
 */
export function requireJson({ optional = false }: { optional?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const contentType = c.req.header('content-type');
    if (optional) {
      const text = c.req.raw.body ? await c.req.raw.clone().text() : '';
      if (text.trim() === '' && (!contentType || isJson(contentType))) {
        // An empty body reads as `{}`: drop it and its content type so the validator sees "no body".
        const headers = new Headers(c.req.raw.headers);
        headers.delete('content-type');
        headers.delete('content-length');
        c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers });
        c.req.bodyCache = {};
        return next();
      }
    }
    if (!contentType || !isJson(contentType)) {
      throw new ApiError('unsupported_media_type', 'Send the body as JSON with `Content-Type: application/json`.');
    }
    try {
      await c.req.json();
    } catch {
      throw new ApiError('malformed_json', 'The request body is not valid JSON.');
    }
    await next();
  };
}

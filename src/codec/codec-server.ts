/**
 * The codec server the Temporal Web UI (and `temporal … --codec-endpoint`) decodes payloads through, as
 * Temporal documents it: `POST /decode` and `POST /encode` with `{ payloads: [...] }` in proto JSON. Only
 * operators get an answer: with `Authorization: Bearer <operator key>` (the CLI's `--codec-auth`), or, for
 * the browser, a cookie set by signing in at `/login` (the Web UI sends it when "include credentials" is on).
 * Everyone else sees ciphertext.
 */
import type { PayloadCodec } from '@temporalio/common';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { ApiError, problemResponse } from '../../api/errors.ts';
import { bearerKeyOf, keyChecker } from '../../api/middleware/auth.ts';
import { PayloadDecryptionError } from './payload-codec.ts';
import { payloadFromJson, payloadToJson } from './payload-json.ts';

export const CODEC_SESSION_COOKIE = 'codec_operator_key';
const SESSION_SECONDS = 8 * 3600;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const payloadsBody = z.strictObject({
  payloads: z.array(z.strictObject({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(10_000),
});
export interface CodecAppOptions {
  codec: PayloadCodec;
  operatorKeyHashes: string[];
  /** Browser origins allowed to call it (the Web UI's). */
  allowedOrigins: string[];
  /** Mark the session cookie `Secure` (serve the codec over https in production). */
  secureCookie: boolean;
}

const LOGIN_PAGE = (message: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Codec server · durable-checkout</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto">
<h1>Decode payloads in the Temporal Web UI</h1>
<p>${message}</p>
<form method="post" action="login">
  <label>Operator key <input name="key" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>
</body></html>`;

export function createCodecApp(options: CodecAppOptions): Hono {
  const isOperatorKey = keyChecker(options.operatorKeyHashes);
  const app = new Hono();
  app.use('*', secureHeaders({ referrerPolicy: 'no-referrer', crossOriginResourcePolicy: 'same-site' }));
  app.use(
    '*',
    cors({
      origin: (origin) => (options.allowedOrigins.includes(origin) ? origin : null),
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
      credentials: true,
      maxAge: 600,
    }),
  );

  const presentedKey = (c: Context) => bearerKeyOf(c.req.header('authorization')) ?? getCookie(c, CODEC_SESSION_COOKIE);
  const requireOperator = (c: Context) => {
    const key = presentedKey(c);
    if (key === undefined) throw new ApiError('unauthorized', 'The codec server answers operators only: send `Authorization: Bearer <operator key>` or sign in at /login.');
    if (!isOperatorKey(key)) throw new ApiError('unauthorized', 'The key is not an operator key.');
  };

  const transform = (direction: 'encode' | 'decode') => async (c: Context) => {
    requireOperator(c);
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      throw new ApiError('malformed_json', 'The request body is not valid JSON.');
    }
    const parsed = payloadsBody.safeParse(json);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      throw new ApiError('invalid_request', `The body must be { "payloads": [{ "metadata": {…base64}, "data": base64 }] }: ${issue!.path.join('.') || 'body'} ${issue!.message}.`);
    }
    try {
      const payloads = await options.codec[direction](parsed.data.payloads.map(payloadFromJson));
      return c.json({ payloads: payloads.map(payloadToJson) });
    } catch (error) {
      if (error instanceof PayloadDecryptionError) throw new ApiError('invalid_request', error.message);
      throw error;
    }
  };
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', 'The request body is too large.');
    },
  });
  app.post('/encode', limit, transform('encode'));
  app.post('/decode', limit, transform('decode'));

  app.get('/login', (c) => c.html(LOGIN_PAGE('Sign in with an operator key; the Web UI then shows payloads decoded, in this browser only.')));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.key === 'string' ? form.key : '';
    if (!isOperatorKey(key)) return c.html(LOGIN_PAGE('That is not an operator key. Try again.'), 401);
    setCookie(c, CODEC_SESSION_COOKIE, key, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: SESSION_SECONDS, secure: options.secureCookie });
    return c.html(LOGIN_PAGE('Signed in. Reload the Web UI: it now shows payloads decoded.'));
  });
  app.post('/logout', (c) => {
    deleteCookie(c, CODEC_SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.notFound(() => {
    throw new ApiError('not_found', 'The codec server answers POST /encode, POST /decode and /login.');
  });
  app.onError((error, c) => {
    if (error instanceof ApiError) return problemResponse(c, error);
    return problemResponse(c, new ApiError('internal_error', 'The codec server failed to transform the payloads.'));
  });
  return app;
}

/**
 * The codec server the Temporal Web UI (and `temporal … --codec-endpoint`) decodes payloads through, as
 * Temporal documents it: `POST /decode` with `{ payloads: [...] }` in proto JSON. Only operators get an
 * answer: with `Authorization: Bearer <operator key>` (the CLI's `--codec-auth`), or, for the browser, a
 * session opened by signing in at `/login` (the Web UI sends its cookie when "include credentials" is on).
 * Everyone else sees ciphertext. There is no `/encode`: the Web UI is read-only and workers act only on
 * sealed payloads, so encoding would only let an operator's session forge input the API never checked.
 */
import type { PayloadCodec } from '@temporalio/common';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { ApiError, problemResponse } from './errors.ts';
import { operatorSession, signInPage } from './middleware/operator-session.ts';
import type { OperatorSessionStore } from '../src/auth/operator-sessions.ts';
import { PayloadDecryptionError } from '../src/platform/codec/payload-codec.ts';
import { payloadFromJson, payloadToJson } from '../src/platform/codec/payload-json.ts';
import type { AddressBudget } from '../src/auth/key-check-budgets.ts';

export const CODEC_SESSION_COOKIE = 'codec_session';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const payloadsBody = z.strictObject({
  payloads: z.array(z.strictObject({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(10_000),
});
export interface CodecAppOptions {
  codec: PayloadCodec;
  operatorKeyHashes: string[];
  /** Where operators' browser sessions are kept (the service's database). */
  sessions: OperatorSessionStore;
  /** Where key checks are counted per address (`operatorKeyCheckBudget`, shared with the dashboard); default: in this process. */
  keyChecks?: AddressBudget;
  /** Browser origins allowed to call it (the Web UI's). */
  allowedOrigins: string[];
  /** Mark the session cookie `Secure` (serve the codec over https in production). */
  secureCookie: boolean;
}

const LOGIN_PAGE = signInPage({ title: 'Codec server · durable-checkout', heading: 'Decode payloads in the Temporal Web UI', action: 'login' });

export function createCodecApp(options: CodecAppOptions): Hono {
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

  const session = operatorSession({
    cookie: CODEC_SESSION_COOKIE,
    surface: 'codec',
    base: '',
    operatorKeyHashes: options.operatorKeyHashes,
    store: options.sessions,
    keyChecks: options.keyChecks,
    secure: options.secureCookie,
    page: LOGIN_PAGE,
    signedIn: (c) => c.html(LOGIN_PAGE('Signed in. Reload the Web UI: it now shows payloads decoded.')),
  });
  const requireOperator = (c: Context) =>
    session.requireOperator(c, 'The codec server answers operators only: send `Authorization: Bearer <operator key>` or sign in at /login.');

  const decode = async (c: Context) => {
    await requireOperator(c);
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
      const payloads = await options.codec.decode(parsed.data.payloads.map(payloadFromJson));
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
  app.post('/decode', limit, decode);

  session.register(app);

  app.notFound(() => {
    throw new ApiError('not_found', 'The codec server answers POST /decode and /login.');
  });
  app.onError((error, c) => {
    if (error instanceof ApiError) return problemResponse(c, error);
    return problemResponse(c, new ApiError('internal_error', 'The codec server failed to transform the payloads.'));
  });
  return app;
}

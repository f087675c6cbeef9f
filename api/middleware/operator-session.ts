/**
 * Browser sign-in for operator-only pages (the dashboard, the codec server the Web UI calls). The form checks
 * an operator key once; the key never leaves that request. The browser gets an opaque session id in an
 * HttpOnly, SameSite=Strict cookie (`__Host-` and `Secure` over https); the database keeps the id's digest,
 * the surface it is valid on, the digest of the key it was opened with, and when it expires. A session ends
 * when it expires, when the operator signs out (revoked server-side, so a copied cookie dies too), or when
 * its key is removed from the configuration. Scripts and the CLI send `Authorization: Bearer <key>` instead.
 */
import { randomBytes } from 'node:crypto';
import type { Context, Env, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { hashApiKey } from '../../src/config/index.ts';
import type { Database } from '../../src/platform/db/client.ts';
import { databaseBudget, type AddressBudget } from '../../src/auth/key-check-budgets.ts';
import type { OperatorSessionStore, SessionSurface } from '../../src/auth/operator-sessions.ts';
import { bearerKeyOf, keyChecker, REALM } from './auth.ts';
import { ApiError } from '../errors.ts';
import { memoryBudget, spendAddressBudget } from './rate-limit.ts';

/** How long a sign-in lasts. */
export const SESSION_SECONDS = 8 * 3600;

/** Key checks per client address and minute on an operator page: sign-ins, and wrong Bearer keys. */
export const KEY_CHECKS_PER_MINUTE = 10;

/** The key checks of every operator page (dashboard and codec server, every process) from one address: one budget on the database. */
export const operatorKeyCheckBudget = (db: Database, now: () => number = Date.now): AddressBudget =>
  databaseBudget(db, { scope: 'operator-key', perMinute: KEY_CHECKS_PER_MINUTE, now });

/** A sign-in form is one key: anything larger is refused before it is read. */
const SIGN_IN_MAX_BYTES = 4 * 1024;

/** The sign-in page runs no script and posts only to itself; nobody may frame it. */
const SIGN_IN_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface OperatorSessionOptions {
  /** The cookie's name, one per surface; over https it carries the `__Host-` prefix. */
  cookie: string;
  /** The pages the session opens: a session of one surface is worth nothing on the other. */
  surface: SessionSurface;
  /** Where the login and logout routes live (`/dashboard`, or '' for the root). */
  base: string;
  /** The configured operator keys' SHA-256 digests. */
  operatorKeyHashes: readonly string[];
  store: OperatorSessionStore;
  /** Served over https: the cookie is `__Host-`, `Secure`, on path `/`. */
  secure: boolean;
  /** The sign-in page, with a message above the form. */
  page: (message: string) => string;
  /** The answer to a successful sign-in (a redirect, or a page saying what to do next). */
  signedIn: (c: Context) => Response;
  /** Where key checks are counted per address: `operatorKeyCheckBudget` in a deployment; default: in this process. */
  keyChecks?: AddressBudget;
  now?: () => Date;
}

export interface OperatorSession {
  /** Whether the request is an operator's: a Bearer operator key, or a live session of a still-configured key. */
  isOperator(c: Context): Promise<boolean>;
  /** Throws 401 (naming `how` to sign in) unless the request is an operator's; any other key is answered as none. */
  requireOperator(c: Context, how: string): Promise<void>;
  /** Adds `GET` and `POST <base>/login` and `POST <base>/logout`. */
  register<E extends Env>(app: Hono<E>): void;
}

export function operatorSession(options: OperatorSessionOptions): OperatorSession {
  const { store, surface } = options;
  const now = options.now ?? (() => new Date());
  const isOperatorKey = keyChecker([...options.operatorKeyHashes]);
  const cookieName = options.secure ? `__Host-${options.cookie}` : options.cookie;
  const cookiePath = options.secure ? '/' : options.base || '/';
  const sessionIdOf = (c: Context) => getCookie(c, cookieName);
  const signInPage = (c: Context, message: string, status: 200 | 401 | 413) => c.html(options.page(message), status, { 'content-security-policy': SIGN_IN_CSP });
  // Guessing keys here is limited like on /v1: a budget per address.
  const keyChecks = options.keyChecks ?? memoryBudget({ perMinute: KEY_CHECKS_PER_MINUTE, now: () => now().getTime() });
  const spendKeyCheck = (c: Context) => spendAddressBudget(keyChecks, c, 'key checks');

  const isOperator = async (c: Context): Promise<boolean> => {
    const key = bearerKeyOf(c.req.header('authorization'));
    if (key !== undefined) {
      if (isOperatorKey(key)) return true;
      await spendKeyCheck(c);
      return false;
    }
    const id = sessionIdOf(c);
    if (id === undefined) return false;
    const session = await store.find(hashApiKey(id), surface, now());
    return session !== null && options.operatorKeyHashes.includes(session.keyHash);
  };

  return {
    isOperator,
    async requireOperator(c, how) {
      if (!(await isOperator(c))) throw new ApiError('unauthorized', how, { headers: { 'www-authenticate': REALM } });
    },

    register(app) {
      app.get(`${options.base}/login`, (c) => signInPage(c, 'Sign in with an operator key.', 200));
      app.post(
        `${options.base}/login`,
        bodyLimit({ maxSize: SIGN_IN_MAX_BYTES, onError: (c) => signInPage(c, 'That form is too large to be a sign-in.', 413) }),
        async (c) => {
          await spendKeyCheck(c);
          const form = await c.req.parseBody();
          const key = typeof form.key === 'string' ? form.key : '';
          if (!isOperatorKey(key)) return signInPage(c, 'That is not an operator key. Try again.', 401);
          const id = randomBytes(32).toString('base64url');
          const opened = now();
          await store.create({ idHash: hashApiKey(id), surface, keyHash: hashApiKey(key), expiresAt: new Date(opened.getTime() + SESSION_SECONDS * 1000) }, opened);
          setCookie(c, cookieName, id, { httpOnly: true, sameSite: 'Strict', path: cookiePath, maxAge: SESSION_SECONDS, secure: options.secure });
          return options.signedIn(c);
        },
      );
      app.post(`${options.base}/logout`, async (c) => {
        const id = sessionIdOf(c);
        if (id !== undefined) await store.revoke(hashApiKey(id), now());
        deleteCookie(c, cookieName, { path: cookiePath, secure: options.secure });
        return c.body(null, 204);
      });
    },
  };
}

/** A minimal sign-in page: a heading, a message, and the key form posting to `action`. */
export const signInPage = ({ title, heading, action }: { title: string; heading: string; action: string }) => (message: string) =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto">
<h1>${heading}</h1>
<p>${message}</p>
<form method="post" action="${action}">
  <label>Operator key <input name="key" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>
</body></html>`;

/**
 * Browser sign-in for operator-only pages (the dashboard, the codec server the Web UI calls): a form that
 * checks an operator key and keeps it in an HttpOnly, SameSite=Strict cookie, so page scripts cannot read it
 * and other sites cannot send it. Scripts and the CLI send `Authorization: Bearer <key>` instead.
 */
import type { Context, Env, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { bearerKeyOf } from './auth.ts';

/** How long a sign-in lasts. */
const SESSION_SECONDS = 8 * 3600;

/** The sign-in page runs no script and posts only to itself; nobody may frame it. */
const SIGN_IN_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface OperatorSessionOptions {
  /** Cookie name; one per app, so signing out of one does not sign out of the other. */
  cookie: string;
  /** Where the login and logout routes live (`/dashboard`, or '' for the root), also the cookie's path. */
  base: string;
  isOperatorKey: (key: string) => boolean;
  /** Mark the cookie `Secure` (the app is served over https). */
  secure: boolean;
  /** The sign-in page, with a message above the form. */
  page: (message: string) => string;
  /** The answer to a successful sign-in (a redirect, or a page saying what to do next). */
  signedIn: (c: Context) => Response;
}

export interface OperatorSession {
  /** The key a request presents: its Bearer header, else the session cookie. */
  keyOf(c: Context): string | undefined;
  /** Adds `GET` and `POST <base>/login` and `POST <base>/logout`. */
  register<E extends Env>(app: Hono<E>): void;
}

export function operatorSession(options: OperatorSessionOptions): OperatorSession {
  const cookiePath = options.base || '/';
  return {
    keyOf: (c) => bearerKeyOf(c.req.header('authorization')) ?? getCookie(c, options.cookie),
    register(app) {
      app.get(`${options.base}/login`, (c) => c.html(options.page('Sign in with an operator key.'), 200, { 'content-security-policy': SIGN_IN_CSP }));
      app.post(`${options.base}/login`, async (c) => {
        const form = await c.req.parseBody();
        const key = typeof form.key === 'string' ? form.key : '';
        if (!options.isOperatorKey(key)) return c.html(options.page('That is not an operator key. Try again.'), 401, { 'content-security-policy': SIGN_IN_CSP });
        setCookie(c, options.cookie, key, { httpOnly: true, sameSite: 'Strict', path: cookiePath, maxAge: SESSION_SECONDS, secure: options.secure });
        return options.signedIn(c);
      });
      app.post(`${options.base}/logout`, (c) => {
        deleteCookie(c, options.cookie, { path: cookiePath });
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

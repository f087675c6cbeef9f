/**
 * `GET /dashboard`: a live page of checkout outcomes across every merchant, its local assets (no CDN: it
 * works offline), and `GET /dashboard/events`, a Server-Sent Events stream pushing the analytics summary when
 * it changes. Platform-wide revenue is for operators only: the page, its JSON and its stream need an operator
 * key, as a Bearer header or a session cookie from signing in at `/dashboard/login` (a browser cannot put a
 * header on a page load or an EventSource). The static assets hold no data and are public.
 */
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Database } from '../../src/platform/db/client.ts';
import { readAnalyticsSummary, type AnalyticsSummary } from '../../src/analytics/summary.ts';
import { readNotificationSummary, type NotificationSummary } from '../../src/notifications/summary.ts';
import { readWebhookSummary, type WebhookSummary } from '../../src/webhooks/index.ts';
import type { ConcurrencyCap } from '../concurrency.ts';
import { ApiError } from '../errors.ts';
import { databaseSessionStore } from '../../src/auth/operator-sessions.ts';
import { operatorKeyCheckBudget, operatorSession, signInPage } from '../middleware/operator-session.ts';
import type { AppDeps, AppEnv } from '../context.ts';

export const DASHBOARD_SESSION_COOKIE = 'dashboard_session';

const asset = (name: string) => readFileSync(new URL(`./dashboard-assets/${name}`, import.meta.url), 'utf8');

/** A Map, so a name such as `constructor` or `__proto__` finds nothing instead of an object's prototype. */
const ASSETS = new Map<string, { type: string; body: string }>([
  ['dashboard.js', { type: 'text/javascript; charset=utf-8', body: asset('dashboard.js') }],
  ['dashboard.css', { type: 'text/css; charset=utf-8', body: asset('dashboard.css') }],
  ['favicon.svg', { type: 'image/svg+xml', body: asset('favicon.svg') }],
]);
const PAGE = asset('index.html');

/** Everything the page needs comes from this server; nothing inline, nothing remote. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

export interface DashboardOptions {
  db: Database;
  auth: AppDeps['auth'];
  /** Mark the session cookie `Secure` (served over https). */
  secureCookie: boolean;
  /** How often the summary is read while someone is watching (default 1 s). */
  intervalMs?: number;
  /** Keep-alive comment period, so proxies do not close an idle stream (default 15 s). */
  keepAliveMs?: number;
  /** Event streams open at once; past it `503`. */
  streams: ConcurrencyCap;
}

/** What the page shows: the analytics summary over every merchant, how customer messages are doing, and merchants' webhooks. */
export type DashboardSnapshot = AnalyticsSummary & { notifications: NotificationSummary; webhooks: WebhookSummary };

const readSnapshot = async (db: Database): Promise<DashboardSnapshot> => {
  const [summary, notifications, webhooks] = await Promise.all([readAnalyticsSummary(db, 'all'), readNotificationSummary(db), readWebhookSummary(db)]);
  return { ...summary, notifications, webhooks };
};

type Listener = (summary: DashboardSnapshot, json: string) => void;

/**
 * One poller shared by every open page: reads the summary while at least one page listens, and tells the
 * listeners only when it changed.
 */
function createSummaryFeed(read: () => Promise<DashboardSnapshot>, intervalMs: number) {
  const listeners = new Set<Listener>();
  let last: { summary: DashboardSnapshot; json: string } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let polling = false;

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const summary = await read();
      const json = JSON.stringify(summary);
      if (json !== last?.json) {
        last = { summary, json };
        listeners.forEach((listener) => listener(summary, json));
      }
    } catch {
      // A failed read (database restarting) is retried at the next tick; the page keeps its last numbers.
    } finally {
      polling = false;
    }
  };

  return {
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      if (last) listener(last.summary, last.json);
      if (!timer) {
        void poll();
        timer = setInterval(() => void poll(), intervalMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
          last = null; // the next watcher starts from a fresh read
        }
      };
    },
  };
}

export function createDashboardRoutes({ db, auth, secureCookie, streams, intervalMs = 1_000, keepAliveMs = 15_000 }: DashboardOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const feed = createSummaryFeed(() => readSnapshot(db), intervalMs);
  const session = operatorSession({
    cookie: DASHBOARD_SESSION_COOKIE,
    surface: 'dashboard',
    base: '/dashboard',
    operatorKeyHashes: auth.operators.flatMap((o) => o.keyHashes),
    store: databaseSessionStore(db),
    keyChecks: operatorKeyCheckBudget(db),
    secure: secureCookie,
    page: signInPage({ title: 'Sign in · Checkout dashboard', heading: 'Checkout dashboard', action: 'login' }),
    signedIn: (c) => c.redirect('/dashboard', 303),
  });
  session.register(app);

  /**
   * The data routes: 401 without an operator key. Any other key — a merchant's, a wrong one — is answered as
   * no key at all, so these pages tell nobody whether a key they try is a merchant's.
   */
  const requireOperator = (c: Context) => session.requireOperator(c, 'Sign in at /dashboard/login, or send `Authorization: Bearer <operator key>`.');

  app.get('/dashboard', async (c) => {
    if (!(await session.isOperator(c))) return c.redirect('/dashboard/login', 303);
    c.header('content-security-policy', CSP);
    c.header('cache-control', 'no-cache');
    return c.html(PAGE);
  });

  app.get('/dashboard/assets/:name', (c) => {
    const found = ASSETS.get(c.req.param('name'));
    if (!found) return c.notFound();
    c.header('content-type', found.type);
    c.header('cache-control', 'no-cache');
    return c.body(found.body);
  });

  app.get('/dashboard/summary.json', async (c) => {
    await requireOperator(c);
    c.header('cache-control', 'no-store');
    return c.json(await readSnapshot(db));
  });

  app.get('/dashboard/events', async (c) => {
    await requireOperator(c);
    const slot = streams.tryTake();
    if (!slot) {
      throw new ApiError('service_unavailable', `${streams.limit} dashboard event streams are open already; the page falls back to polling summary.json.`, {
        headers: { 'retry-after': '30' },
      });
    }
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no'); // nginx: do not buffer the stream
    return streamSSE(c, async (stream) => {
      let id = 0;
      let closed = false;
      let wake: () => void = () => undefined;
      const pending: string[] = [];
      const unsubscribe = feed.subscribe((_summary, json) => {
        pending.push(json);
        wake();
      });
      stream.onAbort(() => {
        closed = true;
        wake();
      });
      try {
        await stream.writeSSE({ event: 'hello', data: JSON.stringify({ intervalMs }), retry: 2_000 });
        while (!closed) {
          while (pending.length > 0 && !closed) {
            // Only the newest summary matters when several queued up.
            const json = pending.splice(0).at(-1)!;
            await stream.writeSSE({ event: 'summary', data: json, id: String(++id) });
          }
          if (closed) break;
          const timedOut = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), keepAliveMs);
            wake = () => (clearTimeout(timer), resolve(false));
          });
          if (timedOut && !closed) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
        slot();
      }
    });
  });

  return app;
}

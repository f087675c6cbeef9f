/** The fraud service simulator as a Hono app: `POST /v1/scores` answers a 0–100 score with its reasons. */
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { canonicalJson } from '../../platform/canonical-json.ts';
import { chaos, type ChaosOptions } from '../../platform/simulation/chaos.ts';
import { scoreCheckout, scoreRequestSchema } from './rules.ts';
import { IdempotencyStore } from '../../platform/simulation/idempotency-store.ts';
import { errorBody, readBody } from '../../platform/simulation/request-body.ts';
import { SlidingWindowCounter } from './velocity-window.ts';

export interface FraudAppOptions extends ChaosOptions {
  /** Epoch milliseconds; injectable so tests can move time for the velocity window. */
  now?: () => number;
  /** The velocity window; 60 s unless told. */
  velocityWindowMs?: number;
  /** Checkouts per customer within the window above which the score goes to review; 30 unless told. */
  velocityThreshold?: number;
  /** The fingerprints' key it shares with the service (FRAUD_FINGERPRINT_KEY; a development key if absent). */
  fingerprintKey?: string;
  logger?: Logger;
}

export function createFraudApp(options: FraudAppOptions = {}): Hono {
  const now = options.now ?? Date.now;
  const velocity = new SlidingWindowCounter(options.velocityWindowMs ?? 60_000);
  const velocityThreshold = options.velocityThreshold ?? 30;
  const log = options.logger;
  // A request with an Idempotency-Key is scored once: asked again, the service gives the first answer, so a
  // saga that asks twice (a retried task) takes the same path, and velocity counts the checkout once.
  const answers = new IdempotencyStore();

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, name: 'fraud' }));
  app.use('/v1/*', chaos(options));
  app.post('/v1/scores', async (c) => {
    const body = await readBody(c, scoreRequestSchema);
    if (!body.ok) return c.json(errorBody('invalid_request', body.message), 400);
    const request = body.data;
    const score = () => {
      const recentCheckouts = velocity.record(request.customerId, request.checkoutId, now());
      const result = scoreCheckout(request, { recentCheckouts, velocityThreshold, fingerprintKey: options.fingerprintKey });
      log?.debug({ checkoutId: request.checkoutId, score: result.score, reasons: result.reasons }, 'fraud score');
      return { status: 200 as const, body: result };
    };
    const key = c.req.header('idempotency-key');
    if (key === undefined) return c.json(score().body, 200);
    const outcome = await answers.run(key, canonicalJson(body.raw), score);
    if (outcome.kind === 'conflict') return c.json(errorBody('idempotency_key_reused', 'This Idempotency-Key was already used with a different request.'), 409);
    const { status, body: answer } = outcome.kind === 'fresh' ? outcome.result : outcome.response;
    return c.json(answer, status);
  });
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    log?.error({ err: error }, 'fraud simulator failed');
    return c.json(errorBody('internal_error', 'The fraud simulator failed; see its log.'), 500);
  });
  return app;
}

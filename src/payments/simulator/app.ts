/** A payment gateway simulator as a Hono app: Stripe-style idempotent payment calls, test tokens and a ledger. */
import { Hono, type Context, type Handler } from 'hono';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { chaos, sleep, type ChaosOptions } from '../../platform/simulation/chaos.ts';
import { GatewayLedger } from './ledger.ts';
import {
  authorizeBodySchema,
  captureBodySchema,
  createGatewayPayments,
  refundBodySchema,
  voidBodySchema,
  type AnswerFault,
  type GatewayResult,
  type PaymentEffect,
} from './payments.ts';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { IdempotencyStore, type KeptAnswer } from '../../platform/simulation/idempotency-store.ts';
import { Journal } from './journal.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import { errorBody, readBody } from '../../platform/simulation/request-body.ts';

export interface GatewayAppOptions extends ChaosOptions {
  /** The instance's name, e.g. `primary`; `tok_primaryDown` makes the one named `primary` unavailable. */
  name: string;
  /** How long a lost answer (`tok_timeoutAfterCharge`) is held; longer than the client's timeout. */
  hangMs?: number;
  /** Epoch milliseconds; injectable for the ledger's timestamps. */
  now?: () => number;
  logger?: Logger;
  /** Where the gateway keeps its authorizations, captures, ledger and idempotency records across restarts; none: in memory. */
  journalFile?: string | null;
}

/** What the gateway's journal holds: effects on money, and the answers kept for their idempotency keys. */
type JournalRecord = { effect: PaymentEffect } | { answer: KeptAnswer };

const MAX_KEY_LENGTH = 255;

export function createGatewayApp(options: GatewayAppOptions): Hono {
  const ledger = new GatewayLedger();
  const journal = new Journal<JournalRecord>(options.journalFile ?? null);
  const payments = createGatewayPayments({
    name: options.name,
    ledger,
    now: options.now ?? Date.now,
    hangMs: options.hangMs ?? 0,
    keep: (effect) => journal.stage({ effect }),
  });
  const idempotency = new IdempotencyStore((answer) => journal.stage({ answer }));
  for (const record of journal.load()) {
    if ('effect' in record) payments.restore(record.effect);
    else idempotency.restore(record.answer);
  }
  /** Holds that ended lapse before anything reads or changes the state, and are kept at once. */
  const lapseEndedHolds = () => {
    payments.lapseExpired();
    journal.flush();
  };
  const wait = options.sleep ?? sleep;
  const log = options.logger?.child({ gateway: options.name });

  /** Wraps one payment call: key required, body validated, effect done at most once per key. */
  function idempotent<T>(schema: z.ZodType<T>, perform: (c: Context, body: T, key: string) => GatewayResult): Handler {
    return async (c) => {
      const key = c.req.header('idempotency-key');
      if (!key) return c.json(errorBody('idempotency_key_missing', 'Send an Idempotency-Key header with every payment call.'), 400);
      if (key.length > MAX_KEY_LENGTH) return c.json(errorBody('invalid_request', `Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters.`), 400);
      const body = await readBody(c, schema);
      if (!body.ok) return c.json(errorBody('invalid_request', body.message), 400);

      lapseEndedHolds();
      const outage = payments.outageFor(key);
      if (outage) return c.json(outage.body, outage.status);
      const fingerprint = `${c.req.method} ${c.req.path}\n${canonicalJson(body.raw)}`;
      // The effect and the answer its retries will get are written together.
      const outcome = await idempotency.run(key, fingerprint, () => perform(c, body.data, key)).finally(() => journal.flush());
      if (outcome.kind === 'conflict') {
        return c.json(errorBody('idempotency_key_reused', 'This Idempotency-Key was already used with different parameters.'), 409);
      }
      const { status, body: answer } = outcome.kind === 'replayed' ? outcome.response : outcome.result;
      if (outcome.kind === 'replayed') c.header('idempotent-replayed', 'true');
      log?.debug({ path: c.req.path, status, idempotencyKey: key, replayed: outcome.kind === 'replayed' }, 'gateway call');
      // The effect is done and its answer kept before it is lost, so a retry meanwhile is answered at once.
      return deliver(c, answer, status, payments.answerFaultFor(key));
    };
  }

  /** Sends an answer, or spoils it the way a lost-answer test token asks. */
  async function deliver(c: Context, answer: object, status: ContentfulStatusCode, fault: AnswerFault | undefined): Promise<Response> {
    switch (fault?.kind) {
      case undefined:
        return c.json(answer, status);
      case 'hang':
        await wait(fault.ms);
        return c.json(answer, status);
      case 'garbled':
        return c.body('{"id": "auth_', 200, { 'content-type': 'application/json' });
      case 'bare_4xx':
        return c.json({ message: 'Bad request' }, 400);
      case 'server_error':
        return c.json(errorBody('internal_error', 'The gateway failed while answering.'), 500);
    }
  }

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, name: options.name }));
  app.get('/_ledger', (c) => {
    lapseEndedHolds();
    return c.json({ entries: ledger.list(c.req.query('checkoutId')) });
  });
  app.use('/v1/*', chaos(options));
  app.post('/v1/authorizations', idempotent(authorizeBodySchema, (_c, body, key) => payments.authorize(body, key)));
  app.post('/v1/authorizations/:id/capture', idempotent(captureBodySchema, (c, body, key) => payments.capture(c.req.param('id') ?? '', body, key)));
  app.post('/v1/authorizations/:id/void', idempotent(voidBodySchema, (c, _body, key) => payments.void(c.req.param('id') ?? '', key)));
  app.post('/v1/captures/:id/refund', idempotent(refundBodySchema, (c, body, key) => payments.refund(c.req.param('id') ?? '', body, key)));
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    log?.error({ err: error }, 'gateway simulator failed');
    return c.json(errorBody('internal_error', 'The gateway simulator failed; see its log.'), 500);
  });
  return app;
}

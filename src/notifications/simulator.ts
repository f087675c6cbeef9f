/**
 * An SMS or push provider simulator as a Hono app, like Twilio's or FCM's HTTP APIs in miniature: one
 * message per `Idempotency-Key` (a retry gets the first answer back, never a second message), a lookup of a
 * key (`GET /v1/messages/{key}`: was it sent?) and a ledger at `/_ledger`. Test recipients drive the failure
 * modes, as test cards drive the gateways (see MESSAGING_TEST_RECIPIENTS).
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { z } from 'zod';
import { canonicalJson } from '../platform/canonical-json.ts';
import { chaos, sleep, type ChaosOptions } from '../platform/simulation/chaos.ts';
import { IdempotencyStore } from '../platform/simulation/idempotency-store.ts';
import { errorBody, readBody } from '../platform/simulation/request-body.ts';

export type MessagingChannel = 'sms' | 'push';

/** What a provider does with a recipient; everything not listed is delivered. */
export type RecipientBehaviour = 'deliver' | 'invalid' | 'primary_down' | 'all_down' | 'flaky' | 'slow' | 'lost_then_down';

/**
 * Test recipients. Phone numbers in the reserved +1 500 555 range, device tokens by prefix. `flaky`: each
 * provider answers 503 to its first two requests for the recipient; `slow`: the primary delivers but holds its
 * first answer past the client's timeout (the answer is lost, the message is not); `lost_then_down`: as `slow`,
 * then the primary answers 503 to the next LOST_THEN_DOWN_REQUESTS requests about the recipient — sends and
 * lookups alike — so nobody can tell for a while whether it sent.
 */
export const LOST_THEN_DOWN_REQUESTS = 6;

export const MESSAGING_TEST_RECIPIENTS: Record<MessagingChannel, { match: string; behaviour: RecipientBehaviour; what: string }[]> = {
  sms: [
    { match: '+15005550001', behaviour: 'invalid', what: 'not a mobile number: both providers refuse it (422)' },
    { match: '+15005550002', behaviour: 'primary_down', what: 'the primary provider answers 503; the secondary delivers' },
    { match: '+15005550003', behaviour: 'all_down', what: 'both providers answer 503' },
    { match: '+15005550004', behaviour: 'flaky', what: 'each provider answers 503 twice, then delivers' },
    { match: '+15005550005', behaviour: 'slow', what: 'the primary delivers but its first answer is lost (held past the timeout)' },
    { match: '+15005550006', behaviour: 'lost_then_down', what: 'the primary delivers, its answer is lost, then it answers 503 to sends and lookups for a while' },
  ],
  push: [
    { match: 'push_invalid', behaviour: 'invalid', what: 'an unregistered device: both providers refuse it (422)' },
    { match: 'push_primaryDown', behaviour: 'primary_down', what: 'the primary provider answers 503; the secondary delivers' },
    { match: 'push_down', behaviour: 'all_down', what: 'both providers answer 503' },
    { match: 'push_flaky', behaviour: 'flaky', what: 'each provider answers 503 twice, then delivers' },
  ],
};

export function recipientBehaviour(channel: MessagingChannel, to: string): RecipientBehaviour {
  const found = MESSAGING_TEST_RECIPIENTS[channel].find((r) => (channel === 'sms' ? to === r.match : to.startsWith(`${r.match}_`) || to === r.match));
  return found?.behaviour ?? 'deliver';
}

export interface MessagingAppOptions extends ChaosOptions {
  channel: MessagingChannel;
  /** `primary` or `secondary`: which of the two a `primary_down` recipient finds down. */
  name: 'primary' | 'secondary';
  /** How long a `slow` recipient's first answer is held; longer than the client's timeout. */
  hangMs?: number;
  now?: () => number;
  logger?: Logger;
}

export interface MessageRecord {
  id: string;
  idempotencyKey: string;
  to: string;
  text: string;
  at: string;
}

const messageBody = z.strictObject({ to: z.string().min(1).max(512), text: z.string().min(1).max(2_000) });
const MAX_KEY_LENGTH = 255;

export function createMessagingApp(options: MessagingAppOptions): Hono {
  const { channel, name } = options;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const sent: MessageRecord[] = [];
  const byKey = new Map<string, MessageRecord>();
  const requestsFor = new Map<string, number>();
  const heldOnce = new Set<string>();
  /** `lost_then_down` recipients: 503s still to answer about them. */
  const downFor = new Map<string, number>();
  const down = (to: string) => {
    const left = downFor.get(to) ?? 0;
    if (left > 0) downFor.set(to, left - 1);
    return left > 0;
  };
  const unavailable = (c: Context) => c.json(errorBody('unavailable', `the ${name} ${channel} provider cannot deliver right now; nothing was sent`), 503);
  const idempotency = new IdempotencyStore();

  const app = new Hono();
  app.get('/_ledger', (c) => {
    const to = c.req.query('to');
    return c.json({ provider: `${name}-${channel}`, entries: sent.filter((m) => !to || m.to === to) });
  });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.use('/v1/*', chaos(options));

  app.get('/v1/messages/:key', (c) => {
    const found = byKey.get(c.req.param('key'));
    if (found && down(found.to)) return unavailable(c);
    return found ? c.json(found) : c.json(errorBody('not_found', 'no message was sent with this key'), 404);
  });

  app.post('/v1/messages', async (c) => {
    const key = c.req.header('idempotency-key');
    if (!key || key.length > MAX_KEY_LENGTH) return c.json(errorBody('invalid_request', `send an Idempotency-Key of 1–${MAX_KEY_LENGTH} characters`), 400);
    const body = await readBody(c, messageBody);
    if (!body.ok) return c.json(errorBody('invalid_request', body.message), 400);
    const { to, text } = body.data;
    const behaviour = recipientBehaviour(channel, to);
    const seen = (requestsFor.get(to) ?? 0) + 1;
    requestsFor.set(to, seen);
    if (behaviour === 'all_down' || (behaviour === 'primary_down' && name === 'primary') || (behaviour === 'flaky' && seen <= 2) || down(to)) return unavailable(c);
    const outcome = await idempotency.run(key, canonicalJson(body.raw), () => {
      if (behaviour === 'invalid') return { status: 422 as ContentfulStatusCode, body: errorBody('invalid_recipient', `this ${channel === 'sms' ? 'number' : 'device'} cannot receive messages`) };
      const record: MessageRecord = { id: `msg_${name}_${sent.length + 1}`, idempotencyKey: key, to, text, at: new Date(now()).toISOString() };
      sent.push(record);
      byKey.set(key, record);
      options.logger?.debug({ id: record.id }, 'message accepted');
      return { status: 201 as ContentfulStatusCode, body: { id: record.id, status: 'accepted' } };
    });
    if (outcome.kind === 'conflict') return c.json(errorBody('idempotency_key_reused', 'this key was used for another message'), 409);
    const response = outcome.kind === 'fresh' ? outcome.result : outcome.response;
    if ((behaviour === 'slow' || behaviour === 'lost_then_down') && name === 'primary' && !heldOnce.has(to)) {
      heldOnce.add(to);
      if (behaviour === 'lost_then_down') downFor.set(to, LOST_THEN_DOWN_REQUESTS);
      await wait(options.hangMs ?? 0);
    }
    return c.json(response.body, response.status);
  });
  return app;
}

/**
 * A gateway simulator's money: authorizations that are captured or voided, captures that are refunded, the
 * test-token behaviours, and one ledger entry for each effect.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { newId } from '../../platform/ids.ts';
import type { GatewayLedger, LedgerEntry } from './ledger.ts';
import { errorBody } from '../../platform/simulation/request-body.ts';
import { tokenRule, type LostAnswers, type TokenRule } from './tokens.ts';

const minorUnits = z.number().int().positive();

export const authorizeBodySchema = z.object({
  checkoutId: z.string().min(1),
  amount: minorUnits,
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code'),
  token: z.string().min(1),
});
/** `amount` defaults to the whole authorization (capture) or what is left to refund (refund), as in Stripe. */
export const captureBodySchema = z.object({ amount: minorUnits.optional() });
export const voidBodySchema = z.object({});
export const refundBodySchema = z.object({ amount: minorUnits.optional() });

/** An answer to one request. */
export interface GatewayResult {
  status: ContentfulStatusCode;
  body: object;
}

/** How the answer to one request is spoiled on its way back (see `LostAnswers`). */
export type AnswerFault = { kind: 'hang'; ms: number } | { kind: 'garbled' } | { kind: 'bare_4xx' } | { kind: 'server_error' };

interface AuthorizationState {
  id: string;
  checkoutId: string;
  amount: number;
  currency: string;
  rule: TokenRule;
  /** Epoch ms at which an authorization not captured or voided lapses. */
  expiresAt: number;
  state: 'authorized' | 'captured' | 'voided' | 'expired';
}

interface CaptureState {
  id: string;
  authorizationId: string;
  checkoutId: string;
  amount: number;
  currency: string;
  refunded: number;
}

const answer = (status: ContentfulStatusCode, code: string, message: string): GatewayResult => ({ status, body: errorBody(code, message) });

/** One effect on money, as kept in the journal: its ledger entry and what it changed. */
export type PaymentEffect =
  | { kind: 'authorized'; entry: LedgerEntry; token: string; expiresAt: number }
  | { kind: 'expired'; entry: LedgerEntry; authorizationId: string }
  | { kind: 'captured'; entry: LedgerEntry; authorizationId: string }
  | { kind: 'voided'; entry: LedgerEntry; authorizationId: string }
  | { kind: 'refunded'; entry: LedgerEntry; captureId: string };

/** How long an authorization holds the money unless its token says otherwise, as card networks commonly allow. */
export const DEFAULT_HOLD_MS = 7 * 24 * 3_600_000;

export function createGatewayPayments(deps: { name: string; ledger: GatewayLedger; now: () => number; hangMs: number; keep: (effect: PaymentEffect) => void }) {
  const authorizations = new Map<string, AuthorizationState>();
  /** The authorizations still holding money: the only ones that can lapse, so the only ones looked at for it. */
  const held = new Set<AuthorizationState>();
  const captures = new Map<string, CaptureState>();
  const settle = (authorizationId: string, state: Exclude<AuthorizationState['state'], 'authorized'>) => {
    const authorization = authorizations.get(authorizationId)!;
    authorization.state = state;
    held.delete(authorization);
  };

  /** Applies an effect to the state and the ledger: when it happens, and again when the journal is read back. */
  function apply(effect: PaymentEffect): void {
    const { entry } = effect;
    switch (effect.kind) {
      case 'authorized': {
        const authorization: AuthorizationState = {
          id: entry.id,
          checkoutId: entry.checkoutId,
          amount: entry.amount,
          currency: entry.currency,
          rule: tokenRule(effect.token) ?? {},
          expiresAt: effect.expiresAt,
          state: 'authorized',
        };
        authorizations.set(entry.id, authorization);
        held.add(authorization);
        break;
      }
      case 'expired':
        settle(effect.authorizationId, 'expired');
        break;
      case 'captured':
        settle(effect.authorizationId, 'captured');
        captures.set(entry.id, { id: entry.id, authorizationId: effect.authorizationId, checkoutId: entry.checkoutId, amount: entry.amount, currency: entry.currency, refunded: 0 });
        break;
      case 'voided':
        settle(effect.authorizationId, 'voided');
        break;
      case 'refunded':
        captures.get(effect.captureId)!.refunded += entry.amount;
        break;
    }
    deps.ledger.record(entry);
  }
  const happen = (effect: PaymentEffect) => {
    apply(effect);
    deps.keep(effect);
  };

  /** Lapses every authorization whose hold has ended, as the card network would, with its ledger entry. */
  function lapseExpired(): void {
    const now = deps.now();
    for (const a of [...held]) {
      if (a.expiresAt > now) continue;
      const { checkoutId, amount, currency } = a;
      happen({ kind: 'expired', authorizationId: a.id, entry: { kind: 'expiry', id: `exp_${a.id}`, checkoutId, amount, currency, idempotencyKey: '', at: new Date(a.expiresAt).toISOString() } });
    }
  }
  const unavailableAnswers = new Map<string, number>();
  /** Answers still to lose, and 503s still to give, per idempotency key of an effect made with such a token. */
  const lostAnswers = new Map<string, { lose: number; unavailable: number; as: LostAnswers['as'] }>();
  const at = () => new Date(deps.now()).toISOString();
  const loseAnswers = (idempotencyKey: string, rule: LostAnswers | undefined) => {
    if (rule) lostAnswers.set(idempotencyKey, { lose: rule.times, unavailable: rule.thenUnavailable ?? 0, as: rule.as });
  };

  return {
    /** Replays an effect read back from the journal. */
    restore: apply,

    lapseExpired,

    /** A 503 for a request with this key when the gateway is "down" after losing an answer; checked before replaying. */
    outageFor(idempotencyKey: string): GatewayResult | undefined {
      const lost = lostAnswers.get(idempotencyKey);
      if (!lost || lost.lose > 0 || lost.unavailable === 0) return undefined;
      lost.unavailable -= 1;
      return answer(503, 'unavailable', 'The gateway is temporarily unavailable; try again.');
    },

    /** How the answer to this request with this key is lost, if it is. */
    answerFaultFor(idempotencyKey: string): AnswerFault | undefined {
      const lost = lostAnswers.get(idempotencyKey);
      if (!lost || lost.lose === 0) return undefined;
      lost.lose -= 1;
      return lost.as === 'hang' ? { kind: 'hang', ms: deps.hangMs } : { kind: lost.as };
    },

    authorize(input: z.infer<typeof authorizeBodySchema>, idempotencyKey: string): GatewayResult {
      const rule = tokenRule(input.token);
      if (!rule) return answer(402, 'invalid_token', 'No such payment token; use a test token such as tok_visa.');
      if (rule.unavailableOn?.includes(deps.name)) return answer(503, 'unavailable', `The ${deps.name} gateway is unavailable.`);
      if (rule.misconfiguredOn?.includes(deps.name)) return answer(401, 'unauthorized', 'Invalid API key provided.');
      if (rule.unavailableAttempts) {
        const answered = unavailableAnswers.get(input.checkoutId) ?? 0;
        if (answered < rule.unavailableAttempts) {
          unavailableAnswers.set(input.checkoutId, answered + 1);
          return answer(503, 'unavailable', 'The gateway is temporarily unavailable; try again.');
        }
      }
      if (rule.refusal) return answer(402, rule.refusal.code, rule.refusal.message);

      const id = newId('auth');
      const { checkoutId, amount, currency } = input;
      const expiresAt = deps.now() + (rule.holdMs ?? DEFAULT_HOLD_MS);
      happen({ kind: 'authorized', token: input.token, expiresAt, entry: { kind: 'authorization', id, checkoutId, amount, currency, idempotencyKey, at: at() } });
      loseAnswers(idempotencyKey, rule.authorizationAnswers);
      return { status: 200, body: { id, status: 'authorized', amount, currency, expiresAt: new Date(expiresAt).toISOString() } };
    },

    capture(authorizationId: string, input: z.infer<typeof captureBodySchema>, idempotencyKey: string): GatewayResult {
      const authorization = authorizations.get(authorizationId);
      if (!authorization) return answer(404, 'not_found', `No such authorization: ${authorizationId}`);
      if (authorization.state === 'voided') return answer(409, 'authorization_voided', 'The authorization was voided and cannot be captured.');
      if (authorization.state === 'expired') return answer(409, 'authorization_expired', 'The authorization lapsed before it was captured.');
      if (authorization.state === 'captured') return answer(409, 'already_captured', 'The authorization has already been captured.');
      const amount = input.amount ?? authorization.amount;
      if (amount > authorization.amount) return answer(402, 'amount_too_large', `Cannot capture ${amount}; only ${authorization.amount} was authorized.`);
      if (authorization.rule.captureRefused) return answer(402, 'capture_refused', 'The issuer refused the capture.');

      const id = newId('cap');
      happen({ kind: 'captured', authorizationId, entry: { kind: 'capture', id, checkoutId: authorization.checkoutId, amount, currency: authorization.currency, idempotencyKey, at: at() } });
      loseAnswers(idempotencyKey, authorization.rule.captureAnswers);
      return { status: 200, body: { id, authorizationId, amount, status: 'captured' } };
    },

    void(authorizationId: string, idempotencyKey: string): GatewayResult {
      const authorization = authorizations.get(authorizationId);
      if (!authorization) return answer(404, 'not_found', `No such authorization: ${authorizationId}`);
      if (authorization.state === 'captured') return answer(409, 'already_captured', 'The authorization has been captured; refund the capture instead.');
      if (authorization.state === 'voided') return answer(409, 'authorization_voided', 'The authorization has already been voided.');
      if (authorization.state === 'expired') return answer(409, 'authorization_expired', 'The authorization has lapsed; nothing is held any more.');

      const id = newId('void');
      const { checkoutId, amount, currency } = authorization;
      happen({ kind: 'voided', authorizationId, entry: { kind: 'void', id, checkoutId, amount, currency, idempotencyKey, at: at() } });
      return { status: 200, body: { id, authorizationId, status: 'voided' } };
    },

    refund(captureId: string, input: z.infer<typeof refundBodySchema>, idempotencyKey: string): GatewayResult {
      const capture = captures.get(captureId);
      if (!capture) return answer(404, 'not_found', `No such capture: ${captureId}`);
      const rule = authorizations.get(capture.authorizationId)?.rule;
      if (rule?.refundsUnavailable) return answer(503, 'unavailable', 'Refunds are temporarily unavailable; try again.');
      const refundable = capture.amount - capture.refunded;
      if (refundable === 0) return answer(409, 'already_refunded', 'The capture has already been refunded in full.');
      const amount = input.amount ?? refundable;
      if (amount > refundable) return answer(402, 'amount_too_large', `Cannot refund ${amount}; only ${refundable} is left to refund.`);

      const id = newId('re');
      happen({ kind: 'refunded', captureId, entry: { kind: 'refund', id, checkoutId: capture.checkoutId, amount, currency: capture.currency, idempotencyKey, at: at() } });
      loseAnswers(idempotencyKey, rule?.refundAnswers);
      return { status: 200, body: { id, captureId, amount, status: 'refunded' } };
    },
  };
}

export type GatewayPayments = ReturnType<typeof createGatewayPayments>;

/**
 * A gateway simulator's money: authorizations that are captured or voided, captures that are refunded, the
 * test-token behaviours, and one ledger entry for each effect.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { newId } from '../ids.ts';
import type { GatewayLedger } from './gateway-ledger.ts';
import { errorBody } from './request-body.ts';
import { tokenRule } from './gateway-tokens.ts';

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

/** An answer to one request; `holdMs` delays sending it after the effect is done and remembered. */
export interface GatewayResult {
  status: ContentfulStatusCode;
  body: object;
  holdMs?: number;
}

interface AuthorizationState {
  id: string;
  checkoutId: string;
  amount: number;
  currency: string;
  captureRefused: boolean;
  state: 'authorized' | 'captured' | 'voided';
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

export function createGatewayPayments(deps: { name: string; ledger: GatewayLedger; now: () => number; hangMs: number }) {
  const authorizations = new Map<string, AuthorizationState>();
  const captures = new Map<string, CaptureState>();
  const unavailableAnswers = new Map<string, number>();
  const heldCheckouts = new Set<string>();
  const at = () => new Date(deps.now()).toISOString();

  return {
    authorize(input: z.infer<typeof authorizeBodySchema>, idempotencyKey: string): GatewayResult {
      const rule = tokenRule(input.token);
      if (!rule) return answer(402, 'invalid_token', 'No such payment token; use a test token such as tok_visa.');
      if (rule.unavailableOn?.includes(deps.name)) return answer(503, 'unavailable', `The ${deps.name} gateway is unavailable.`);
      if (rule.unavailableAttempts) {
        const answered = unavailableAnswers.get(input.checkoutId) ?? 0;
        if (answered < rule.unavailableAttempts) {
          unavailableAnswers.set(input.checkoutId, answered + 1);
          return answer(503, 'unavailable', 'The gateway is temporarily unavailable; try again.');
        }
      }
      if (rule.refusal) return answer(402, rule.refusal.code, rule.refusal.message);

      const authorization: AuthorizationState = {
        id: newId('auth'),
        checkoutId: input.checkoutId,
        amount: input.amount,
        currency: input.currency,
        captureRefused: rule.captureRefused === true,
        state: 'authorized',
      };
      authorizations.set(authorization.id, authorization);
      deps.ledger.record({ kind: 'authorization', id: authorization.id, checkoutId: input.checkoutId, amount: input.amount, currency: input.currency, idempotencyKey, at: at() });

      const hold = rule.hangsAfterCharge === true && !heldCheckouts.has(input.checkoutId);
      if (hold) heldCheckouts.add(input.checkoutId);
      const { id, amount, currency } = authorization;
      return { status: 200, body: { id, status: 'authorized', amount, currency }, holdMs: hold ? deps.hangMs : 0 };
    },

    capture(authorizationId: string, input: z.infer<typeof captureBodySchema>, idempotencyKey: string): GatewayResult {
      const authorization = authorizations.get(authorizationId);
      if (!authorization) return answer(404, 'not_found', `No such authorization: ${authorizationId}`);
      if (authorization.state === 'voided') return answer(409, 'authorization_voided', 'The authorization was voided and cannot be captured.');
      if (authorization.state === 'captured') return answer(409, 'already_captured', 'The authorization has already been captured.');
      const amount = input.amount ?? authorization.amount;
      if (amount > authorization.amount) return answer(402, 'amount_too_large', `Cannot capture ${amount}; only ${authorization.amount} was authorized.`);
      if (authorization.captureRefused) return answer(402, 'capture_refused', 'The issuer refused the capture.');

      authorization.state = 'captured';
      const capture: CaptureState = { id: newId('cap'), authorizationId, checkoutId: authorization.checkoutId, amount, currency: authorization.currency, refunded: 0 };
      captures.set(capture.id, capture);
      deps.ledger.record({ kind: 'capture', id: capture.id, checkoutId: capture.checkoutId, amount, currency: capture.currency, idempotencyKey, at: at() });
      return { status: 200, body: { id: capture.id, authorizationId, amount, status: 'captured' } };
    },

    void(authorizationId: string, idempotencyKey: string): GatewayResult {
      const authorization = authorizations.get(authorizationId);
      if (!authorization) return answer(404, 'not_found', `No such authorization: ${authorizationId}`);
      if (authorization.state === 'captured') return answer(409, 'already_captured', 'The authorization has been captured; refund the capture instead.');
      if (authorization.state === 'voided') return answer(409, 'authorization_voided', 'The authorization has already been voided.');

      authorization.state = 'voided';
      const id = newId('void');
      deps.ledger.record({ kind: 'void', id, checkoutId: authorization.checkoutId, amount: authorization.amount, currency: authorization.currency, idempotencyKey, at: at() });
      return { status: 200, body: { id, authorizationId, status: 'voided' } };
    },

    refund(captureId: string, input: z.infer<typeof refundBodySchema>, idempotencyKey: string): GatewayResult {
      const capture = captures.get(captureId);
      if (!capture) return answer(404, 'not_found', `No such capture: ${captureId}`);
      const refundable = capture.amount - capture.refunded;
      if (refundable === 0) return answer(409, 'already_refunded', 'The capture has already been refunded in full.');
      const amount = input.amount ?? refundable;
      if (amount > refundable) return answer(402, 'amount_too_large', `Cannot refund ${amount}; only ${refundable} is left to refund.`);

      capture.refunded += amount;
      const id = newId('re');
      deps.ledger.record({ kind: 'refund', id, checkoutId: capture.checkoutId, amount, currency: capture.currency, idempotencyKey, at: at() });
      return { status: 200, body: { id, captureId, amount, status: 'refunded' } };
    },
  };
}

export type GatewayPayments = ReturnType<typeof createGatewayPayments>;

/**
 * Payment gateway calls. Each carries the idempotency key `<checkoutId>:<step>`, so a retry after a timeout
 * returns the first result instead of charging again. Refusals are final (non-retryable, typed by their
 * code); outages are retryable with type `gateway_unavailable` when the gateway did nothing, and
 * `gateway_outcome_unknown` when its answer was lost or could not be read (it may have acted).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { GatewayName } from '../src/contracts/checkout.ts';
import { CAPTURE_REFUSED, GATEWAY_OUTCOME_UNKNOWN, GATEWAY_UNAVAILABLE, isAuthorizationRefusal, undoRefusalType } from '../src/domain/payment-failures.ts';
import { GatewayProtocolError, type GatewayClient, type Outcome } from './clients/gateway-client.ts';
import { TransientHttpError } from './clients/http.ts';

export type Gateways = Record<GatewayName, GatewayClient>;


/** The idempotency key of one gateway step of one checkout. */
export const gatewayIdempotencyKey = (checkoutId: string, step: 'authorize' | 'capture' | 'void' | 'refund') => `${checkoutId}:${step}`;

async function call<T>(request: () => Promise<Outcome<T>>, refusalType: (code: string) => string): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await request();
  } catch (error) {
    if (error instanceof TransientHttpError) {
      throw ApplicationFailure.retryable(error.message, error.outcome === 'unknown' ? GATEWAY_OUTCOME_UNKNOWN : GATEWAY_UNAVAILABLE);
    }
    // An answer that is not the protocol's (a 2xx with another body, a 4xx without the error shape) says
    // nothing about what the gateway did.
    if (error instanceof GatewayProtocolError) throw ApplicationFailure.retryable(error.message, GATEWAY_OUTCOME_UNKNOWN);
    throw error;
  }
  if (outcome.kind === 'refused') throw ApplicationFailure.nonRetryable(outcome.message, refusalType(outcome.code), { code: outcome.code });
  return outcome.value;
}

export const createPaymentActivities = ({ gateways }: { gateways: Gateways }) => ({
  async authorizePayment(input: { gateway: GatewayName; checkoutId: string; amount: number; currency: string; token: string }) {
    const { gateway, ...request } = input;
    const auth = await call(
      () => gateways[gateway].authorize(request, gatewayIdempotencyKey(input.checkoutId, 'authorize')),
      (code) => (isAuthorizationRefusal(code) ? code : 'card_declined'),
    );
    return { authorizationId: auth.id, expiresAt: auth.expiresAt ?? null };
  },

  async capturePayment(input: { gateway: GatewayName; checkoutId: string; authorizationId: string; amount: number }) {
    const capture = await call(
      () => gateways[input.gateway].capture(input, gatewayIdempotencyKey(input.checkoutId, 'capture')),
      () => CAPTURE_REFUSED,
    );
    return { captureId: capture.id };
  },

  async voidPayment(input: { gateway: GatewayName; checkoutId: string; authorizationId: string }) {
    const voided = await call(() => gateways[input.gateway].void(input, gatewayIdempotencyKey(input.checkoutId, 'void')), (code) => undoRefusalType('void', code));
    return { voidId: voided.id };
  },

  async refundPayment(input: { gateway: GatewayName; checkoutId: string; captureId: string; amount: number }) {
    const refund = await call(
      () => gateways[input.gateway].refund(input, gatewayIdempotencyKey(input.checkoutId, 'refund')),
      (code) => undoRefusalType('refund', code),
    );
    return { refundId: refund.id };
  },
});

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;

/**
 * Payment gateway calls. Each carries the idempotency key `<checkoutId>:<step>`, so a retry after a timeout
 * returns the first result instead of charging again. Refusals are final (non-retryable, typed by their
 * code); outages are retryable with type `gateway_unavailable` when the gateway did nothing, and
 * `gateway_outcome_unknown` when its answer was lost or could not be read (it may have acted).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { GatewayName } from '../src/contracts/checkout.ts';
import { CAPTURE_REFUSED, GATEWAY_OUTCOME_UNKNOWN, GATEWAY_REFUSED, GATEWAY_UNAVAILABLE, refusalKindOf, undoRefusalType } from '../src/domain/payment-failures.ts';
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

/**
 * The failure type of an authorization refusal: the card's code when the card was refused (final for the
 * checkout); otherwise `gateway_refused` — the gateway did nothing, another may accept — with an operator
 * signal: the `gateway_refusals` counter and a log line naming the gateway and the code.
 */
function authorizationRefusalType(gateway: GatewayName, code: string): string {
  const kind = refusalKindOf(code);
  if (kind === 'card') return code;
  const context = Context.current();
  context.metricMeter.createCounter('gateway_refusals', 'refusals', 'Gateway refusals that are not the card’s: configuration, merchant account, unknown codes').add(1, { gateway, code, kind });
  context.log.warn(`the ${gateway} gateway refused an authorization for a reason that is not the card's (${kind}: ${code}); failing over — check its credentials and account`, { gateway, code, kind });
  return GATEWAY_REFUSED;
}

/**
 * A retryable authorization failure, told with the attempt it ended (`details: [{ attempt }]`). An activity
 * the server retried hides its earlier attempts' failures from the saga, and one of them may have lost an
 * answer (the gateway authorized): past the first attempt, the failure says the outcome is unknown, whatever
 * this attempt's answer was. (Authorization attempts are single since payment safety; an activity scheduled
 * before it, with four server retries, may still be retrying during the rollout.)
 */
function withAttempt(failure: ApplicationFailure, attempt: number): ApplicationFailure {
  if (failure.nonRetryable) return failure;
  const type = attempt > 1 ? GATEWAY_OUTCOME_UNKNOWN : (failure.type ?? undefined);
  const message = attempt > 1 ? `${failure.message} (attempt ${attempt}: an earlier attempt may have authorized)` : failure.message;
  return ApplicationFailure.create({ message, type, nonRetryable: false, details: [{ attempt }] });
}

export const createPaymentActivities = ({ gateways }: { gateways: Gateways }) => ({
  async authorizePayment(input: { gateway: GatewayName; checkoutId: string; amount: number; currency: string; token: string }) {
    const { gateway, ...request } = input;
    try {
      const auth = await call(
        () => gateways[gateway].authorize(request, gatewayIdempotencyKey(input.checkoutId, 'authorize')),
        (code) => authorizationRefusalType(gateway, code),
      );
      return { authorizationId: auth.id, expiresAt: auth.expiresAt ?? null };
    } catch (error) {
      if (error instanceof ApplicationFailure) throw withAttempt(error, Context.current().info.attempt);
      throw error;
    }
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

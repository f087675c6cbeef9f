/**
 * Payment gateway calls. Each carries the idempotency key `<checkoutId>:<step>`, so a retry after a timeout
 * returns the first result instead of charging again. Refusals are final (non-retryable, typed by their
 * code); outages are retryable with type `gateway_unavailable` when the gateway did nothing, and
 * `gateway_outcome_unknown` when its answer was lost or could not be read (it may have acted).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { GatewayName } from '../contracts/checkout.ts';
import { CAPTURE_REFUSED, GATEWAY_OUTCOME_UNKNOWN, GATEWAY_REFUSED, GATEWAY_UNAVAILABLE, refusalKindOf, undoRefusalType } from './failures.ts';
import { databaseFailure, describeDatabaseError } from '../platform/db/failures.ts';
import type { AuthorizationAttempt } from './authorization-attempts.ts';
import { ProtocolError, TransientHttpError } from '../platform/http/client.ts';
import type { GatewayClient, Outcome } from './gateway-client.ts';

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
    if (error instanceof ProtocolError) throw ApplicationFailure.retryable(error.message, GATEWAY_OUTCOME_UNKNOWN);
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
  if (attempt > 1) return outcomeUnknown(`${failure.message} (attempt ${attempt}: an earlier attempt may have authorized)`, attempt);
  return retryableTold(failure.message, failure.type ?? undefined, attempt);
}

/** A retryable authorization failure, told with the attempt it ended (the saga reads `details: [{ attempt }]`). */
const retryableTold = (message: string, type: string | undefined, attempt: number) => ApplicationFailure.create({ message, type, nonRetryable: false, details: [{ attempt }] });
const outcomeUnknown = (message: string, attempt: number) => retryableTold(message, GATEWAY_OUTCOME_UNKNOWN, attempt);

/**
 * A failed authorization whose attempt an earlier run made already (its record was there): that run's answer
 * never reached the saga, and the gateway may have authorized. Only a card refusal stays what it is (the
 * same key would have returned an authorization); anything else — the gateway down, or refusing for its own
 * reasons — says nothing about the earlier call, so the outcome is unknown and the saga asks again.
 */
function afterAnUnheardRun(failure: ApplicationFailure, attempt: number): ApplicationFailure {
  if (failure.nonRetryable && failure.type !== GATEWAY_REFUSED) return failure;
  return outcomeUnknown(`${failure.message} (an earlier run of this attempt asked the gateway and its answer was lost)`, attempt);
}

/** Where the authorization attempts are recorded (src/payments/authorization-attempts.ts). */
export interface AuthorizationAttemptLog {
  record(attempt: AuthorizationAttempt): Promise<'first' | 'repeated'>;
  lastGatewayAsked(checkoutId: string): Promise<GatewayName | null>;
}

export interface AuthorizationInput {
  gateway: GatewayName;
  checkoutId: string;
  amount: number;
  currency: string;
  token: string;
  /** The saga's attempt on this gateway, when it authorizes as a local step: recorded before the gateway is asked. */
  attempt?: number;
}

export const createPaymentActivities = ({ gateways, attempts }: { gateways: Gateways; attempts: AuthorizationAttemptLog }) => ({
  async authorizePayment(input: AuthorizationInput) {
    const { gateway, attempt: sagaAttempt, ...request } = input;
    // Read only when a failure tells it: the bench's non-durable floor calls this outside any activity.
    const attempt = () => Context.current().info.attempt;
    const unheardRun = sagaAttempt !== undefined && (await recordBeforeAsking(attempts, { checkoutId: input.checkoutId, gateway, attempt: sagaAttempt }, attempt)) === 'repeated';
    try {
      const auth = await call(
        () => gateways[gateway].authorize(request, gatewayIdempotencyKey(input.checkoutId, 'authorize')),
        (code) => authorizationRefusalType(gateway, code),
      );
      return { authorizationId: auth.id, expiresAt: auth.expiresAt ?? null };
    } catch (error) {
      if (error instanceof ApplicationFailure) throw unheardRun ? afterAnUnheardRun(error, attempt()) : withAttempt(error, attempt());
      throw error;
    }
  },

  /** For the void compensation: the last gateway this checkout asked to authorize, if any (see authorizeWithFailover). */
  async lastGatewayAskedToAuthorize({ checkoutId }: { checkoutId: string }): Promise<{ gateway: GatewayName | null }> {
    try {
      return { gateway: await attempts.lastGatewayAsked(checkoutId) };
    } catch (error) {
      throw databaseFailure(error);
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

  /** A merchant's refund of part or all of a capture, keyed by the refund's own id (one refund per request). */
  async issueRefund(input: { gateway: GatewayName; refundId: string; captureId: string; amount: number }) {
    const refund = await call(
      () => gateways[input.gateway].refund(input, input.refundId),
      (code) => undoRefusalType('refund', code),
    );
    return { gatewayRefundId: refund.id };
  },
});

/**
 * Records an attempt before the gateway is asked. When the record cannot be written the gateway is not asked,
 * and the failure says the outcome is unknown: an earlier run may have asked without the saga hearing of it.
 */
async function recordBeforeAsking(attempts: AuthorizationAttemptLog, attempt: AuthorizationAttempt, activityAttempt: () => number): Promise<'first' | 'repeated'> {
  try {
    return await attempts.record(attempt);
  } catch (error) {
    throw outcomeUnknown(
      `the authorization attempt could not be recorded, so the gateway was not asked; an earlier run may have asked (${describeDatabaseError(error)})`,
      activityAttempt(),
    );
  }
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;

/** Payment authorization with failover between gateways, and recovery of an authorization whose answer was lost. */
import { isCancellation, log } from '@temporalio/workflow';
import type { GatewayName } from '../src/contracts/saga.ts';
import { activities, type CheckoutActivityStubs } from './activities-proxy.ts';
import * as policy from './activity-policies.ts';
import type { CheckoutState } from './checkout-state.ts';
import { GATEWAY_OUTCOME_UNKNOWN, isAuthorizationRefusal } from '../src/domain/payment-failures.ts';
import { activityFailureMessage, applicationFailureType, SagaStop } from './saga-failures.ts';

/** The authorization request of a checkout on one gateway; the same request (and key) every time. */
const authorizationRequest = ({ input }: CheckoutState, gateway: GatewayName) => ({
  gateway,
  checkoutId: input.checkoutId,
  amount: input.amount.total,
  currency: input.amount.currency,
  token: input.paymentToken,
});

/**
 * Authorizes on the primary gateway, or on the secondary when the primary said it did nothing. When a
 * gateway's answer was lost it may hold an authorization already, and one on the other gateway would hold
 * the customer's money twice: that gateway is asked again with the same idempotency key, for longer,
 * until it answers (`onUnanswered` lets the compensation do the same if it never does).
 */
export async function authorizeWithFailover(
  state: CheckoutState,
  onUnanswered: (gateway: GatewayName) => void,
): Promise<{ gateway: GatewayName; authorizationId: string }> {
  let lastError = 'no gateway answered';
  for (const gateway of ['primary', 'secondary'] as const) {
    try {
      const { authorizationId } = await activities(policy.authorization, `Authorize on ${gateway} gateway`).authorizePayment(
        authorizationRequest(state, gateway),
      );
      return { gateway, authorizationId };
    } catch (error) {
      if (isCancellation(error)) throw error;
      const type = applicationFailureType(error);
      if (isAuthorizationRefusal(type)) throw error; // the bank said no: another gateway won't change that
      lastError = activityFailureMessage(error);
      if (type === GATEWAY_OUTCOME_UNKNOWN) {
        log.warn('gateway answer lost; asking the same gateway again instead of failing over', { gateway, error: lastError });
        onUnanswered(gateway);
        const { authorizationId } = await activities(policy.authorizationRecovery, `Recover the authorization on ${gateway} gateway`).authorizePayment(
          authorizationRequest(state, gateway),
        );
        return { gateway, authorizationId };
      }
      log.warn('gateway unavailable; failing over', { gateway, error: lastError });
    }
  }
  throw new SagaStop('gateway_unavailable', `no payment gateway could authorize: ${lastError}`);
}

/**
 * Learns, for the compensation, an authorization whose answer never came: the same request with the same
 * key returns it (or makes it now, to be voided at once). A refusal means there is nothing to void.
 */
export async function recoverAuthorization(state: CheckoutState, gateway: GatewayName, undo: CheckoutActivityStubs): Promise<void> {
  try {
    const { authorizationId } = await undo.authorizePayment(authorizationRequest(state, gateway));
    state.payment = { gateway, authorizationId, captureId: null, voidId: null, refundId: null };
  } catch (error) {
    const type = applicationFailureType(error);
    if (isAuthorizationRefusal(type)) return;
    throw error;
  }
}

/**
 * The checkout saga: reserve inventory → score fraud → (hold for review) → authorize → create order →
 * capture → commit inventory → publish the outcome. Business refusals end in a result with a failure code,
 * never in a failed workflow; every step that changed the world is undone, in reverse, when a later one
 * fails or the client cancels.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { CheckoutActivities } from '../activities/index.ts';
import {
  cancelCheckoutUpdate,
  failureCodeSchema,
  getCheckoutQuery,
  reviewCheckoutUpdate,
  waitForOutcomeUpdate,
  type CheckoutStatus,
  type CheckoutView,
  type CheckoutWorkflowInput,
  type CommandOutcome,
  type FailureCode,
  type GatewayName,
  type ReviewDecision,
} from '../src/contracts/checkout.ts';
import { checkoutEventId, CURRENT_EVENT_VERSION, type CheckoutEventType } from '../src/contracts/events.ts';
import { fraudDecisionFor } from '../src/domain/fraud-bands.ts';
import * as policy from './activity-policies.ts';
import { CheckoutState } from './checkout-state.ts';
import { Compensations } from './compensations.ts';

const activities = (options: ActivityOptions, summary: string) => proxyActivities<CheckoutActivities>({ ...options, summary });

/** A business outcome that ends the saga early (declined, rejected, timed out). */
class SagaStop extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_OF_FAILURE: Record<FailureCode, CheckoutStatus> = {
  out_of_stock: 'declined',
  fraud_declined: 'declined',
  review_rejected: 'declined',
  review_timeout: 'declined',
  card_declined: 'declined',
  insufficient_funds: 'declined',
  gateway_unavailable: 'failed',
  capture_failed: 'failed',
  cancelled_by_client: 'cancelled',
  internal_error: 'failed',
};

const AUTHORIZATION_REFUSALS: readonly string[] = ['card_declined', 'insufficient_funds', 'invalid_token'];

/** A gateway call whose answer was lost (activities/payments.ts): the gateway may have acted on it. */
const GATEWAY_OUTCOME_UNKNOWN = 'gateway_outcome_unknown';

/** The failure type an activity ended with, when it was an ApplicationFailure. */
function applicationFailureType(error: unknown): string | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause.type ?? undefined;
  return undefined;
}

function describeFailure(error: unknown, cancelRequested: boolean): { code: FailureCode; message: string } {
  if (error instanceof SagaStop) return { code: error.code, message: error.message };
  if (isCancellation(error)) {
    return { code: 'cancelled_by_client', message: cancelRequested ? 'cancelled by the client' : 'cancelled through Temporal' };
  }
  const type = applicationFailureType(error);
  const code = type === 'invalid_token' ? 'card_declined' : type === GATEWAY_OUTCOME_UNKNOWN ? 'gateway_unavailable' : type;
  const known = failureCodeSchema.safeParse(code);
  const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : error instanceof Error ? error.message : String(error);
  if (known.success) return { code: known.data, message: cause };
  return { code: 'internal_error', message: `a step could not complete: ${cause}` };
}

export async function checkoutWorkflow(input: CheckoutWorkflowInput): Promise<CheckoutView> {
  const state = new CheckoutState(input);
  const saga = new Compensations((progress) => state.compensationProgress(progress));
  const sagaScope = new CancellationScope();
  let cancelRequested = false;
  let review: (ReviewDecision & { operator: string }) | undefined;

  const refuse = (reason: string): CommandOutcome => ({ accepted: false, reason, checkout: state.view() });

  setHandler(getCheckoutQuery, () => state.view());

  setHandler(cancelCheckoutUpdate, ({ reason }) => {
    if (state.isFinal) return refuse(`the checkout is already ${state.status}`);
    if (state.captureStarted) return refuse('payment capture has begun; the checkout can no longer be cancelled');
    if (state.status === 'compensating') return refuse('the checkout is already being undone');
    if (!cancelRequested) {
      cancelRequested = true;
      log.info('cancel requested by the client', { reason });
      sagaScope.cancel();
    }
    return { accepted: true, checkout: state.view() };
  });

  setHandler(reviewCheckoutUpdate, (decision) => {
    if (state.status !== 'awaiting_review' || review !== undefined) return refuse(`the checkout is ${state.status}, not awaiting review`);
    if (cancelRequested) return refuse('the checkout is being cancelled');
    review = decision;
    state.review = { decision: decision.decision, at: new Date().toISOString(), ...(decision.note ? { note: decision.note } : {}) };
    return { accepted: true, checkout: state.view() };
  });

  setHandler(waitForOutcomeUpdate, async ({ timeoutMs }) => {
    // Waits for the outcome to be recorded and published, not just decided, so a synchronous caller that
    // gets a final answer can already find the event and the stored result.
    if (timeoutMs > 0) await condition(() => state.outcomeRecorded, Math.min(timeoutMs, 60_000));
    return state.view();
  });

  let failure: { code: FailureCode; message: string } | null = null;
  try {
    await sagaScope.run(() => runSaga(state, saga, () => review, () => cancelRequested));
  } catch (error) {
    failure = describeFailure(error, cancelRequested);
  }

  return CancellationScope.nonCancellable(async () => {
    if (failure) {
      state.fail(failure.code, failure.message);
      log.info('checkout stopped; compensating', { code: failure.code });
      state.setStatus('compensating');
      state.reached('compensating');
      await saga.runAll();
      state.reached('compensated');
    }
    return finish(state, failure ? STATUS_OF_FAILURE[failure.code] : 'completed');
  });
}

async function runSaga(
  state: CheckoutState,
  saga: Compensations,
  reviewDecision: () => (ReviewDecision & { operator: string }) | undefined,
  cancelRequested: () => boolean,
): Promise<void> {
  const { input } = state;
  const { checkoutId } = input;
  const undo = activities(policy.undoStep, 'compensation');

  // 1. Inventory. Registered before the step: releasing an absent reservation is a no-op.
  saga.add('release inventory', () => undo.releaseInventory({ checkoutId }).then(() => undefined));
  await CancellationScope.nonCancellable(() =>
    activities(policy.databaseStep, `Reserve stock: ${input.items.map((i) => `${i.quantity}× ${i.sku}`).join(', ')}`).reserveInventory({
      checkoutId,
      items: input.items.map(({ sku, quantity }) => ({ sku, quantity })),
    }),
  );
  state.reached('inventory_reserved');

  // 2. Fraud. A fraud service that stays down sends the checkout to review instead of approving it blind.
  let score: number | null = null;
  try {
    const result = await activities(policy.fraudScoring, 'Score fraud risk').scoreFraud({
      checkoutId,
      customerId: input.customer.id,
      email: input.customer.email,
      amount: input.amount.total,
      currency: input.amount.currency,
      paymentToken: input.paymentToken,
      itemCount: input.items.reduce((n, i) => n + i.quantity, 0),
    });
    score = result.score;
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.warn('fraud service unavailable; holding for review', { error: String(error) });
  }
  const decision = score === null ? 'review' : fraudDecisionFor(score);
  state.setFraud(score, decision, score === null ? 'fraud service unavailable' : undefined);
  if (decision === 'decline') throw new SagaStop('fraud_declined', `fraud score ${score} is in the decline band`);

  if (decision === 'review') {
    state.setStatus('awaiting_review');
    state.reached('awaiting_review');
    const decided = await condition(() => reviewDecision() !== undefined, input.reviewTimeoutMs);
    if (!decided) {
      state.review = { decision: 'timeout', at: new Date().toISOString() };
      throw new SagaStop('review_timeout', `no review decision within ${Math.round(input.reviewTimeoutMs / 1000)} s`);
    }
    if (reviewDecision()!.decision === 'reject') {
      throw new SagaStop('review_rejected', reviewDecision()!.note ?? 'rejected by an operator after fraud review');
    }
    state.setStatus('pending');
    state.reached('review_approved');
  }

  // 3. Authorization, with failover. Not interruptible once sent: the saga must learn the authorization id
  //    so its compensation can void it.
  let unanswered: GatewayName | null = null; // a gateway that may hold an authorization we never heard of
  saga.add('void authorization', async () => {
    if (!state.payment && unanswered) await recoverAuthorization(state, unanswered, undo);
    const payment = state.payment;
    if (!payment || payment.captureId || payment.voidId) return;
    const { voidId } = await undo.voidPayment({ gateway: payment.gateway, checkoutId, authorizationId: payment.authorizationId });
    payment.voidId = voidId;
  });
  const authorization = await CancellationScope.nonCancellable(() => authorizeWithFailover(state, (gateway) => (unanswered = gateway)));
  state.setAuthorization(authorization.gateway, authorization.authorizationId);

  // 4. Order. Not interruptible either: a cancelled create could still insert the order after its
  //    compensation ran, leaving it pending forever.
  saga.add('cancel order', () => undo.cancelOrder({ checkoutId }));
  const { orderId } = await CancellationScope.nonCancellable(() =>
    activities(policy.databaseStep, 'Create order').createOrder({
      checkoutId,
      customerId: input.customer.id,
      items: input.items,
      total: input.amount.total,
      currency: input.amount.currency,
      shippingAddress: input.shippingAddress as Record<string, string>,
    }),
  );
  state.orderId = orderId;
  state.reached('order_created');

  // 5. Capture. From here on the client can no longer cancel.
  if (cancelRequested()) throw new SagaStop('cancelled_by_client', 'cancelled by the client');
  saga.add('refund capture', async () => {
    const payment = state.payment;
    if (!payment?.captureId || payment.refundId) return;
    const { refundId } = await undo.refundPayment({ gateway: payment.gateway, checkoutId, captureId: payment.captureId, amount: input.amount.total });
    payment.refundId = refundId;
  });
  state.captureStarted = true;
  const payment = state.payment!;
  const { captureId } = await CancellationScope.nonCancellable(() =>
    activities(policy.capture, `Capture ${input.amount.currency} ${(input.amount.total / 100).toFixed(2)} on ${payment.gateway}`).capturePayment({
      gateway: payment.gateway,
      checkoutId,
      authorizationId: payment.authorizationId,
      amount: input.amount.total,
    }),
  );
  payment.captureId = captureId;
  state.reached('payment_captured');

  // 6. Make it final.
  await CancellationScope.nonCancellable(async () => {
    // The customer has paid: these steps must complete, however long the database takes to come back.
    const finishing = activities(policy.mustFinish, 'Mark order paid and commit stock');
    await finishing.markOrderPaid({ checkoutId, captureId });
    await finishing.commitInventory({ checkoutId });
  });
  state.reached('inventory_committed');
}

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
async function authorizeWithFailover(
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
      if (type && AUTHORIZATION_REFUSALS.includes(type)) throw error; // the bank said no: another gateway won't change that
      lastError = error instanceof ActivityFailure && error.cause ? error.cause.message : String(error);
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
async function recoverAuthorization(state: CheckoutState, gateway: GatewayName, undo: ReturnType<typeof activities>): Promise<void> {
  try {
    const { authorizationId } = await undo.authorizePayment(authorizationRequest(state, gateway));
    state.payment = { gateway, authorizationId, captureId: null, voidId: null, refundId: null };
  } catch (error) {
    const type = applicationFailureType(error);
    if (type && AUTHORIZATION_REFUSALS.includes(type)) return;
    throw error;
  }
}

const EVENT_TYPE_OF_STATUS: Partial<Record<CheckoutStatus, CheckoutEventType>> = {
  completed: 'checkout.completed',
  declined: 'checkout.declined',
  cancelled: 'checkout.cancelled',
  failed: 'checkout.failed',
};

/** Records the final state, publishes the outcome once, and lets open update handlers answer first. */
async function finish(state: CheckoutState, status: CheckoutStatus): Promise<CheckoutView> {
  state.setStatus(status);
  state.reached('done');
  const view = state.view();
  const { input } = state;
  const must = activities(policy.mustFinish, `Record and publish ${status}`);
  await must.recordCheckoutResult(view);
  const type = EVENT_TYPE_OF_STATUS[status]!;
  await must.publishOutcome({
    id: checkoutEventId(input.checkoutId, type),
    type,
    version: CURRENT_EVENT_VERSION,
    occurredAt: view.updatedAt,
    checkoutId: input.checkoutId,
    data: {
      orderId: view.orderId,
      customer: input.customer,
      amount: input.amount,
      items: input.items,
      failure: view.failure,
      fraud: view.fraud ? { score: view.fraud.score, decision: view.fraud.decision } : null,
      startedAt: input.createdAt,
    },
  });
  state.outcomeRecorded = true;
  await condition(allHandlersFinished);
  return view;
}

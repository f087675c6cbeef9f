/**
 * The checkout saga: reserve inventory → score fraud → (hold for review) → authorize → create order →
 * capture → commit inventory → publish the outcome. Business refusals end in a result with a failure code,
 * never in a failed workflow; every step that changed the world is undone, in reverse, when a later one
 * fails or the client cancels.
 */
import { CancellationScope, condition, isCancellation, log, patched, setHandler } from '@temporalio/workflow';
import {
  cancelCheckoutUpdate,
  getCheckoutQuery,
  reviewCheckoutUpdate,
  waitForOutcomeUpdate,
  type CheckoutView,
  type CheckoutWorkflowInput,
  type CommandOutcome,
  type FailureCode,
  type GatewayName,
  type ReviewDecision,
} from '../src/contracts/saga.ts';
import { fraudDecisionFor } from '../src/domain/fraud-bands.ts';
import { activities, sagaPath, type SagaPath } from './activities-proxy.ts';
import * as policy from './activity-policies.ts';
import { authorizeWithFailover, recoverAuthorization } from './authorization.ts';
import { CheckoutState } from './checkout-state.ts';
import { Compensations } from './compensations.ts';
import { fraudScoreRequest } from './fraud-request.ts';
import { finish } from './outcome.ts';
import { describeFailure, SagaStop, STATUS_OF_FAILURE } from './saga-failures.ts';

/**
 * Checkouts started from this version on run their quick steps as local activities and upsert search
 * attributes only when the status changes; those started before keep the command sequence they began with.
 */
export const LOCAL_STEPS_PATCH = 'local-steps';

export async function checkoutWorkflow(input: CheckoutWorkflowInput): Promise<CheckoutView> {
  const path = sagaPath(patched(LOCAL_STEPS_PATCH));
  const state = new CheckoutState(input, { searchAttributesWithStatus: path.local });
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
    await sagaScope.run(() => runSaga(state, saga, path, () => review, () => cancelRequested));
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
    return finish(state, failure ? STATUS_OF_FAILURE[failure.code] : 'completed', path.quick);
  });
}

async function runSaga(
  state: CheckoutState,
  saga: Compensations,
  { local, quick }: SagaPath,
  reviewDecision: () => (ReviewDecision & { operator: string }) | undefined,
  cancelRequested: () => boolean,
): Promise<void> {
  const { input } = state;
  const { checkoutId } = input;
  const undo = activities(policy.undoStep, 'compensation');

  // 1. Inventory. Registered before the step: releasing an absent reservation is a no-op.
  saga.add('release inventory', () => undo.releaseInventory({ checkoutId }).then(() => undefined));
  await CancellationScope.nonCancellable(() =>
    quick(policy.databaseStep, `Reserve stock: ${input.items.map((i) => `${i.quantity}× ${i.sku}`).join(', ')}`).reserveInventory({
      checkoutId,
      items: input.items.map(({ sku, quantity }) => ({ sku, quantity })),
    }),
  );
  state.reached('inventory_reserved');

  // 2. Fraud. A fraud service that stays down sends the checkout to review instead of approving it blind.
  let score: number | null = null;
  try {
    const result = await quick(policy.fraudScoring, 'Score fraud risk').scoreFraud(fraudScoreRequest(input));
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
    quick(policy.databaseStep, 'Create order').createOrder({
      checkoutId,
      merchantId: input.merchantId,
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
    quick(policy.capture, `Capture ${input.amount.currency} ${(input.amount.total / 100).toFixed(2)} on ${payment.gateway}`).capturePayment({
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
    const finishing = quick(policy.mustFinish, 'Mark order paid and commit stock');
    if (local) {
      await finishing.completePaidOrder({ checkoutId, captureId });
    } else {
      await finishing.markOrderPaid({ checkoutId, captureId });
      await finishing.commitInventory({ checkoutId });
    }
  });
  state.reached('inventory_committed');
}

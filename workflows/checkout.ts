/**
 * The checkout saga: reserve inventory → score fraud → (hold for review) → authorize → create order →
 * capture → commit inventory → publish the outcome. Business refusals end in a result with a failure code,
 * never in a failed workflow; every step that changed the world is undone, in reverse, when a later one
 * fails or the client cancels.
 */
import { CancellationScope, condition, isCancellation, log, patched, setHandler } from '@temporalio/workflow';
import { getCheckoutQuery, waitForOutcomeUpdate, type CheckoutStatus, type CheckoutView, type CheckoutWorkflowInput, type FailureCode, type GatewayName } from '../src/contracts/workflow.ts';
import { fraudDecisionFor } from '../src/fraud/bands.ts';
import { humanDuration } from '../src/platform/human-duration.ts';
import { activities, mustFinish, type SagaPath } from './activities-proxy.ts';
import * as policy from './activity-policies.ts';
import { CheckoutState } from './checkout-state.ts';
import { SagaCommands } from './commands.ts';
import { Compensations, UndoSteps } from './compensations.ts';
import { fraudScoreRequest, orderRequest } from './step-requests.ts';
import { finish } from './outcome.ts';
import { authorizeWithFailover, captureWithRecovery, refundCapture, voidAuthorization } from './payments.ts';
import { describeFailure, SagaStop, STATUS_OF_FAILURE } from './saga-failures.ts';
import { paymentSafety, REVIEW_RELEASES_STOCK_PATCH, sagaPathOfThisCheckout } from './versions.ts';

export async function checkoutWorkflow(input: CheckoutWorkflowInput): Promise<CheckoutView> {
  const path = sagaPathOfThisCheckout();
  const state = new CheckoutState(input, { searchAttributesWithStatus: path.local });
  const saga = new Compensations((progress) => state.compensationProgress(progress));
  const sagaScope = new CancellationScope();
  const commands = new SagaCommands(state, sagaScope, path);

  setHandler(getCheckoutQuery, () => state.view());
  commands.install();

  setHandler(waitForOutcomeUpdate, async ({ timeoutMs }) => {
    // Waits for the outcome to be recorded and published, not just decided, so a synchronous caller that
    // gets a final answer can already find the event and the stored result.
    const waitMs = Math.min(timeoutMs, 60_000);
    if (waitMs > 0) await condition(() => state.outcomeRecorded, waitMs, { summary: `caller's wait (${humanDuration(waitMs)})` });
    return state.view();
  });

  let failure: { code: FailureCode; message: string } | null = null;
  try {
    await sagaScope.run(() => runSaga(state, saga, path, commands));
  } catch (error) {
    failure = describeFailure(error, commands.cancelRequested);
    commands.settleOnStop(failure.code);
  }

  return CancellationScope.nonCancellable(async () => {
    if (failure) {
      state.fail(failure.code, failure.message);
      log.info('checkout stopped; compensating', { code: failure.code });
      state.setStatus('compensating');
      state.reached('compensating');
      const escalated = await saga.runAll();
      // What could not be undone is left to a person: a final status of its own, so operators find it.
      state.reached(escalated.length > 0 ? 'escalated' : 'compensated');
      return finish(state, escalated.length > 0 ? 'escalated' : STATUS_OF_FAILURE[failure.code], path);
    }
    return finish(state, 'completed', path);
  });
}

async function runSaga(state: CheckoutState, saga: Compensations, path: SagaPath, commands: SagaCommands): Promise<void> {
  const { input } = state;
  const { checkoutId } = input;
  const { local, quick } = path;
  const undo = activities(policy.undoStep, 'compensation');
  let unanswered: GatewayName | null = null; // a gateway that may hold an authorization we never heard of
  const undoSteps = new UndoSteps(saga, path, {
    'release inventory': () => undo.releaseInventory({ checkoutId }).then(() => undefined),
    'cancel order': () => undo.cancelOrder({ checkoutId }),
    'void authorization': () => voidAuthorization(state, path, unanswered, undo),
    'refund capture': () => refundCapture(state, undo),
  });

  // 1. Inventory. Registered before the step: releasing an absent reservation is a no-op.
  undoSteps.before('release inventory');
  const lines = input.items.map(({ sku, quantity }) => `${quantity}× ${sku}`).join(', ');
  // Each stock step also records where the checkout stands, for the merchant's list (activities/index.ts).
  const standing = (status: CheckoutStatus) => ({ ...state.view(), status });
  const reserve = (summary: string) =>
    CancellationScope.nonCancellable(() =>
      quick(policy.databaseStep, summary).reserveInventory({ checkoutId, items: input.items.map(({ sku, quantity }) => ({ sku, quantity })), record: standing('pending') }),
    );
  await reserve(`Reserve stock: ${lines}`);
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
    // A review can take a day, and a fraud-service outage sends every checkout to review: held stock would
    // lock a flash sale with no payment taken. The stock goes back while the checkout waits, and is
    // reserved again on approval (declined out_of_stock if it sold meanwhile).
    const releasedForReview = patched(REVIEW_RELEASES_STOCK_PATCH);
    if (releasedForReview) await CancellationScope.nonCancellable(() => quick(policy.databaseStep, 'Release stock while held for review').releaseInventory({ checkoutId, record: standing('awaiting_review') }));
    state.setStatus('awaiting_review');
    state.reached('awaiting_review');
    const decided = await commands.awaitReview(input.reviewTimeoutMs);
    if (!decided) {
      state.review = { decision: 'timeout', at: new Date().toISOString() };
      throw new SagaStop('review_timeout', `no review decision within ${Math.round(input.reviewTimeoutMs / 1000)} s`);
    }
    if (commands.review!.decision === 'reject') {
      throw new SagaStop('review_rejected', commands.review!.note ?? 'rejected by an operator after fraud review');
    }
    if (releasedForReview) await reserve(`Reserve stock again after approval: ${lines}`);
    state.setStatus('pending');
    state.reached('review_approved');
  }

  // 3. Authorization, with failover. Not interruptible once sent: the saga must learn the authorization id
  //    so its compensation can void it.
  // A cancel from an earlier task stops the saga before it asks for money (one from this task goes on).
  if (path.localAuthorization && commands.cancelStopsHere({ beforeAuthorization: true })) throw new SagaStop('cancelled_by_client', 'cancelled by the client');
  undoSteps.before('void authorization');
  state.authorizationRequested = true; // until capture, a cancel is judged at the step boundaries (commands.ts)
  const authorization = await CancellationScope.nonCancellable(() => authorizeWithFailover(state, path, (gateway) => (unanswered = gateway)));
  state.setAuthorization(authorization.gateway, authorization.authorizationId, authorization.expiresAt);
  // A cancel that came before the authorization's result stops here, before there is an order to undo.
  if (commands.cancelStopsHere() && paymentSafety()) throw new SagaStop('cancelled_by_client', 'cancelled by the client');

  // 4. Order. Not interruptible either: a cancelled create could still insert the order after its
  //    compensation ran, leaving it pending forever.
  undoSteps.before('cancel order');
  const { orderId } = await CancellationScope.nonCancellable(() =>
    quick(policy.databaseStep, 'Create order').createOrder(orderRequest(input)),
  );
  state.orderId = orderId;
  state.reached('order_created');

  // 5. Capture: the point of no return. From here on the client can no longer cancel.
  if (commands.cancelStopsHere()) throw new SagaStop('cancelled_by_client', 'cancelled by the client');
  undoSteps.before('refund capture');
  state.captureStarted = true;
  const captureId = await CancellationScope.nonCancellable(() => captureWithRecovery(state, quick));
  state.payment!.captureId = captureId;
  state.reached('payment_captured');

  // 6. Make it final.
  await CancellationScope.nonCancellable(async () => {
    // The customer has paid: these steps must complete, however long the database takes to come back.
    await mustFinish(path, 'Mark order paid and commit stock', async (finishing) => {
      if (local) {
        await finishing.completePaidOrder({ checkoutId, captureId });
      } else {
        await finishing.markOrderPaid({ checkoutId, captureId });
        await finishing.commitInventory({ checkoutId });
      }
    });
  });
  state.reached('inventory_committed');
}

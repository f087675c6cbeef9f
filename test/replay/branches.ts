/**
 * One checkout per branch of the saga, as `test/replay/record-histories.ts` records them into
 * `test/replay/histories/<name>.json` for the replay test. Each branch says how it must end, so a recording
 * that took another path fails instead of being saved under the wrong name.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { type CheckoutStatus, type CheckoutView, type FailureCode } from '../../src/contracts/checkout.ts';
import { cancelCheckoutUpdate, getCheckoutQuery, reviewCheckoutUpdate } from '../../src/contracts/workflow.ts';
import type { CheckoutStack } from '../support/checkout-stack.ts';
import { createTemporalRefunds } from '../../src/checkouts/temporal-refunds.ts';
import { refundWorkflowId, type RefundStatus, type RefundView } from '../../src/contracts/refund.ts';
import { newId } from '../../src/platform/ids.ts';
import { isAuthorization, isCapture, isVoid, type GatewayProxy } from '../workflows/support/gateway-proxy.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWorkerProcess } from '../support/worker-process.ts';
import { cancelBeforeTheRetry, CRASH_TASK_TIMEOUT } from '../workflows/support/crash.ts';
import { newCustomer, statusReached } from '../workflows/support/world.ts';

export interface RecordingStacks {
  /** The main stack; its primary gateway sits behind `proxy`. */
  stack: CheckoutStack;
  proxy: GatewayProxy;
  /** A stack whose reviews time out after two seconds. */
  quickReview: CheckoutStack;
  /** A stack without a worker of its own, for worker processes a branch kills; its primary sits behind `crashProxy`. */
  crashable: CheckoutStack;
  crashProxy: GatewayProxy;
}

export interface Branch {
  name: string;
  outcome: { status: CheckoutStatus; failure: FailureCode | null };
  /** Runs the checkout to its end and returns its handle. */
  run(stacks: RecordingStacks): Promise<WorkflowHandle>;
}

const withToken =
  (token: string, items?: { sku: string; quantity: number }[]) =>
  async ({ stack }: RecordingStacks): Promise<WorkflowHandle> => {
    const { handle } = await stack.start({ token, customer: newCustomer(), ...(items ? { items } : {}) });
    await handle.result();
    return handle;
  };

async function reviewed(stack: CheckoutStack, act: (handle: WorkflowHandle) => Promise<unknown>): Promise<WorkflowHandle> {
  const { handle } = await stack.start({ token: 'tok_riskReview', customer: newCustomer() });
  await statusReached(handle, 'awaiting_review');
  await act(handle);
  await handle.result();
  return handle;
}

export const BRANCHES: readonly Branch[] = [
  { name: 'completed', outcome: { status: 'completed', failure: null }, run: withToken('tok_visa') },
  { name: 'card-declined', outcome: { status: 'declined', failure: 'card_declined' }, run: withToken('tok_chargeDeclined') },
  { name: 'insufficient-funds', outcome: { status: 'declined', failure: 'insufficient_funds' }, run: withToken('tok_insufficientFunds') },
  { name: 'fraud-declined', outcome: { status: 'declined', failure: 'fraud_declined' }, run: withToken('tok_riskHighest') },
  { name: 'out-of-stock', outcome: { status: 'declined', failure: 'out_of_stock' }, run: withToken('tok_visa', [{ sku: 'SKU-LIMITED', quantity: 1000 }]) },
  { name: 'authorization-retried', outcome: { status: 'completed', failure: null }, run: withToken('tok_flaky') },
  { name: 'authorization-answer-timed-out', outcome: { status: 'completed', failure: null }, run: withToken('tok_timeoutAfterCharge') },
  { name: 'capture-failed', outcome: { status: 'failed', failure: 'capture_failed' }, run: withToken('tok_captureFails') },
  { name: 'failover-to-secondary', outcome: { status: 'completed', failure: null }, run: withToken('tok_primaryDown') },
  {
    name: 'review-approved',
    outcome: { status: 'completed', failure: null },
    run: ({ stack }) => reviewed(stack, (h) => h.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'approve', operator: 'op_recorder' }] })),
  },
  {
    name: 'review-rejected',
    outcome: { status: 'declined', failure: 'review_rejected' },
    run: ({ stack }) => reviewed(stack, (h) => h.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'reject', operator: 'op_recorder' }] })),
  },
  { name: 'review-timed-out', outcome: { status: 'declined', failure: 'review_timeout' }, run: ({ quickReview }) => reviewed(quickReview, async () => undefined) },
  {
    name: 'cancelled-while-held',
    outcome: { status: 'cancelled', failure: 'cancelled_by_client' },
    run: ({ stack }) => reviewed(stack, (h) => h.executeUpdate(cancelCheckoutUpdate, { args: [{ reason: 'recorded' }] })),
  },
  {
    name: 'cancel-refused-during-capture',
    outcome: { status: 'completed', failure: null },
    async run({ stack, proxy }) {
      const capture = proxy.holdRequests(isCapture);
      try {
        const { handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
        await capture.arrived;
        // Refused by the update's validator, so the refusal leaves nothing in the history.
        const refused = await handle.executeUpdate(cancelCheckoutUpdate, { args: [{}] }).then(
          () => false,
          (error: unknown) => error instanceof WorkflowUpdateFailedError,
        );
        if (!refused) throw new Error('the cancel was not refused during capture');
        capture.release();
        await handle.result();
        return handle;
      } finally {
        capture.release();
      }
    },
  },
  {
    name: 'compensation-retried',
    outcome: { status: 'failed', failure: 'capture_failed' },
    async run({ stack, proxy }) {
      proxy.answer(isVoid, { status: 409, body: { error: { code: 'try_later', message: 'void refused for now' } } }, 1);
      const { handle } = await stack.start({ token: 'tok_captureFails', customer: newCustomer() });
      await waitFor(async () => ((await handle.query(getCheckoutQuery)).compensation?.lastError ? true : undefined), { what: 'the refused void' });
      await handle.result();
      return handle;
    },
  },
  { name: 'lost-then-unavailable-recovered', outcome: { status: 'completed', failure: null }, run: withToken('tok_lostThenUnavailable') },
  { name: 'capture-answer-lost-recovered', outcome: { status: 'completed', failure: null }, run: withToken('tok_captureAnswerLost') },
  {
    name: 'compensation-escalated',
    outcome: { status: 'escalated', failure: 'capture_failed' },
    async run({ stack, proxy }) {
      const { checkoutId, handle } = await stack.start({ token: 'tok_captureFails', customer: newCustomer() });
      proxy.answer((r) => isVoid(r) && r.idempotencyKey === `${checkoutId}:void`, { status: 404, body: { error: { code: 'not_found', message: 'No such authorization' } } }, 1);
      await handle.result();
      return handle;
    },
  },
  {
    name: 'cancelled-during-authorization',
    outcome: { status: 'cancelled', failure: 'cancelled_by_client' },
    async run({ stack, proxy }) {
      const { checkoutId, handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
      // Three attempts say "nothing done"; the cancel comes in a pause between them, in a task of its own,
      // and is accepted with the result of the attempt that authorizes.
      proxy.answer((r) => isAuthorization(r) && r.idempotencyKey === `${checkoutId}:authorize`, { status: 503, body: { error: { code: 'unavailable', message: 'down' } } }, 3);
      await waitFor(async () => ((await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ? true : undefined), { what: 'the first pause', intervalMs: 20 });
      if (!(await handle.executeUpdate(cancelCheckoutUpdate, { args: [{ reason: 'recorded' }] })).accepted) throw new Error('the cancel during authorization was refused');
      await handle.result();
      return handle;
    },
  },
  {
    name: 'cancel-with-the-authorization-result',
    outcome: { status: 'completed', failure: null },
    async run({ crashable, crashProxy }) {
      // The worker dies after the gateway captured; the cancel reaches the retried task with the
      // authorization's result, and is refused: that task goes on to capture on every attempt.
      const doomed = await startWorkerProcess(crashable);
      const capture = crashProxy.withholdAnswers(isCapture, 1);
      try {
        const { handle } = await crashable.start({ token: 'tok_visa', customer: newCustomer() }, { workflowTaskTimeout: CRASH_TASK_TIMEOUT });
        await capture.arrived;
        await doomed.kill();
        const { answer, next } = await cancelBeforeTheRetry(handle, () => startWorkerProcess(crashable));
        try {
          if ((await answer).accepted) throw new Error('the cancel with the authorization result was accepted');
          await handle.result();
        } finally {
          await next.stop();
        }
        return handle;
      } finally {
        capture.release();
        await doomed.kill();
      }
    },
  },
  { name: 'gateway-refused-failover', outcome: { status: 'completed', failure: null }, run: withToken('tok_gatewayMisconfigured') },
  {
    name: 'lost-answers-recovered-without-failover',
    outcome: { status: 'completed', failure: null },
    async run({ stack, proxy }) {
      const lost = proxy.withholdAnswers(isAuthorization, 4);
      try {
        const { handle } = await stack.start({ token: 'tok_visa', customer: newCustomer() });
        await handle.result();
        return handle;
      } finally {
        lost.release();
      }
    },
  },
];

/** Fails unless the checkout ended the way its branch says. */
export async function checkOutcome(branch: Branch, handle: WorkflowHandle): Promise<void> {
  const view = (await handle.result()) as CheckoutView;
  const got = { status: view.status, failure: view.failure?.code ?? null };
  if (got.status !== branch.outcome.status || got.failure !== branch.outcome.failure) {
    throw new Error(`branch ${branch.name} ended ${JSON.stringify(got)}, expected ${JSON.stringify(branch.outcome)}`);
  }
}

/**
 * The refund workflow's branches, recorded into `test/replay/histories/refunds/<name>.json`: each refunds a
 * checkout that completed on the main stack, as the API starts a refund, and says how the refund must end
 * (`refused` when it was not admitted and ended without one).
 */
export interface RefundBranch {
  name: string;
  status: RefundStatus | 'refused';
  run(stacks: RecordingStacks): Promise<WorkflowHandle>;
}

const refundOf =
  (token: string, { amount = 1_000, deadlineMs = 60_000 }: { amount?: number; deadlineMs?: number } = {}) =>
  async ({ stack }: RecordingStacks): Promise<WorkflowHandle> => {
    const { checkoutId, handle } = await stack.start({ token, customer: newCustomer() });
    const checkout = (await handle.result()) as CheckoutView;
    const refunds = createTemporalRefunds({ client: stack.client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db, deadlineMs });
    const refundId = newId('re');
    await refunds.request({ refundId, checkoutId, merchantId: checkout.merchantId, amount, reason: 'requested_by_customer', requestedAt: new Date().toISOString() });
    const refund = stack.client.workflow.getHandle(refundWorkflowId(refundId));
    await refund.result();
    return refund;
  };

export const REFUND_BRANCHES: readonly RefundBranch[] = [
  { name: 'refund-succeeded', status: 'succeeded', run: refundOf('tok_visa') },
  { name: 'refund-answer-lost-recovered', status: 'succeeded', run: refundOf('tok_refundAnswerLost') },
  { name: 'refund-escalated', status: 'escalated', run: refundOf('tok_refundsUnavailable', { deadlineMs: 2_000 }) },
  { name: 'refund-refused', status: 'refused', run: refundOf('tok_visa', { amount: 1_000_000 }) },
];

export async function checkRefundOutcome(branch: RefundBranch, handle: WorkflowHandle): Promise<void> {
  const refund = (await handle.result()) as RefundView | null;
  const got = refund?.status ?? 'refused';
  if (got !== branch.status) throw new Error(`branch ${branch.name} ended ${got}, expected ${branch.status}`);
}

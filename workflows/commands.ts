/**
 * The commands a running saga takes — a client's cancel, an operator's review — and the rule that judges
 * them, so that every attempt of a workflow task decides the same way (workflows/README.md, rule 2).
 *
 * A command reaches the saga with a workflow task, and Core hands it to its handler before the task's other
 * news (an activity's result, a fired timer) is applied. When a worker dies mid-task, the retried task can
 * carry a command its dead attempt never saw, while the world already holds what that attempt did. So:
 *
 * - **A cancel counts at a point of no return only if it came in an earlier task.** Until capture begins
 *   (on local authorization from the start, except while held for review; before it, from the
 *   authorization's request), a cancel is not answered on arrival: the saga answers it at its next step
 *   boundary (before authorization, its result, the capture). There it counts if it arrived in an earlier
 *   workflow task — it is then in the history every attempt replays — and is refused if it arrived in the
 *   task that crosses the authorization, which goes on to capture on every attempt.
 * - **A review decision counts only before the review deadline**, by workflow time: at or after it the
 *   timeout stands, whichever of the timer and the decision reaches the worker first.
 *
 * Outside those windows a cancel is accepted on arrival and stops the saga at its next cancellable step:
 * nothing that far back is beyond undoing.
 */
import { CancellationScope, condition, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { humanDuration } from '../src/platform/human-duration.ts';
import { cancelCheckoutUpdate, isRepeatedReview, reviewCheckoutUpdate, type CommandOutcome, type ReviewDecision } from '../src/contracts/workflow.ts';
import type { CheckoutState } from './checkout-state.ts';
import { CANCEL_JUDGED_AT_BOUNDARIES_PATCH } from './versions.ts';

/** The workflow task the saga is in: its WorkflowTaskStarted event id, the same on every attempt and on replay. */
const currentTask = () => workflowInfo().historyLength;

type Verdict = { accepted: true } | { accepted: false; reason: string };

interface CancelRequest {
  reason: string | undefined;
  /** The workflow task it arrived in. */
  task: number;
  /** Null until the saga has judged it. */
  verdict: Verdict | null;
}

export type OperatorReview = ReviewDecision & { operator: string };

export class SagaCommands {
  private cancel: CancelRequest | null = null;
  /** The operator's decision, once one is accepted. */
  review: OperatorReview | undefined;
  /** While the checkout awaits review: when the review window closes (epoch ms, workflow time). */
  reviewDeadline: number | null = null;

  constructor(
    private readonly state: CheckoutState,
    private readonly sagaScope: CancellationScope,
    private readonly path: { localAuthorization: boolean },
  ) {}

  /**
   * Waits for an operator's decision until the review deadline; false when none came in time. Decisions
   * (and cancels) that reach the saga at or after the deadline are refused by the validators.
   */
  async awaitReview(timeoutMs: number): Promise<boolean> {
    // A cancel still waiting for a boundary is taken here: nothing is held while a checkout awaits review,
    // and whatever a dead attempt of this task did beyond it, the undo steps registered up front undo.
    if (this.cancel && this.cancel.verdict === null) this.accept(this.cancel);
    this.reviewDeadline = Date.now() + timeoutMs;
    try {
      return await condition(() => this.review !== undefined, timeoutMs, { summary: `review timeout (${humanDuration(timeoutMs)})` });
    } finally {
      this.reviewDeadline = null;
    }
  }

  /** A cancel was accepted, or is waiting for its verdict. */
  get cancelRequested(): boolean {
    return this.cancel !== null && this.cancel.verdict?.accepted !== false;
  }

  install(): void {
    // Each command is judged by the validator (a refusal writes nothing to the history) and again by the
    // handler, which histories from before the validators replay through; a check only the validator makes
    // is new since those histories. The same command repeated — a client retrying after a lost answer — is
    // answered as the first one was.
    setHandler(cancelCheckoutUpdate, ({ reason }) => this.onCancel(reason), { validator: (_request) => refusedBy(this.cancelRefusal() ?? this.closedReviewRefusal()) });
    setHandler(reviewCheckoutUpdate, (decision) => this.onReview(decision), { validator: (decision) => refusedBy(this.reviewRefusal(decision) ?? this.closedReviewRefusal()) });
  }

  /**
   * At a step boundary before capture: whether a cancel stops the saga here. A cancel waiting for its
   * verdict is judged now, by the task it came in (see the module comment); the verdict answers its caller.
   * At the boundary `beforeAuthorization` one from this same task is left for the next boundary: the task
   * goes on, as its dead attempt may have, and the cancel is refused only where money was asked for.
   */
  cancelStopsHere({ beforeAuthorization = false } = {}): boolean {
    const cancel = this.cancel;
    if (!cancel) return false;
    if (cancel.verdict === null && cancel.task === currentTask() && beforeAuthorization) return false; // judged at the next boundary
    cancel.verdict ??=
      cancel.task < currentTask()
        ? { accepted: true }
        : { accepted: false, reason: 'the payment was authorized as the cancel arrived; the checkout goes on to capture and can no longer be cancelled' };
    return cancel.verdict.accepted;
  }

  /**
   * Whether a cancel arriving now waits for the saga's next step boundary instead of being accepted on
   * arrival. On local authorization one workflow task can run every step from reserve to capture, so that
   * holds from the start until capture, except while the checkout awaits review (the task that sent it there
   * is in the history); before, only from the authorization's request.
   */
  private judgedAtBoundary(): boolean {
    const { state } = this;
    if (this.path.localAuthorization) return !state.captureStarted && state.status !== 'awaiting_review';
    return state.paymentUnderway && patched(CANCEL_JUDGED_AT_BOUNDARIES_PATCH);
  }

  private accept(cancel: CancelRequest): void {
    cancel.verdict = { accepted: true };
    this.sagaScope.cancel();
  }

  /** The saga stopped for another reason: a cancel still waiting for its verdict is told so. */
  settleOnStop(why: string): void {
    if (this.cancel && this.cancel.verdict === null) this.cancel.verdict = { accepted: false, reason: `the checkout stopped before the cancel was judged: ${why}` };
  }

  private async onCancel(reason: string | undefined): Promise<CommandOutcome> {
    const refusal = this.cancelRefusal();
    if (refusal !== null) return this.refuse(refusal);
    const repeated = this.cancel !== null;
    if (!this.cancel) {
      this.cancel = { reason, task: currentTask(), verdict: null };
      log.info('cancel requested by the client', { reason });
      // While a payment step may land in this same task, the saga judges the cancel at its next boundary.
      if (!this.judgedAtBoundary()) this.accept(this.cancel);
    }
    const cancel = this.cancel;
    await condition(() => cancel.verdict !== null);
    const verdict = cancel.verdict!;
    if (!verdict.accepted) return this.refuse(verdict.reason);
    return { accepted: true, ...(repeated && { repeated: true }), checkout: this.state.view() };
  }

  private onReview(decision: OperatorReview): CommandOutcome {
    const refusal = this.reviewRefusal(decision);
    if (refusal !== null) return this.refuse(refusal);
    if (isRepeatedReview(this.state.review, decision)) return { accepted: true, repeated: true, checkout: this.state.view() };
    this.review = decision;
    this.state.review = { decision: decision.decision, operator: decision.operator, at: new Date().toISOString(), ...(decision.note ? { note: decision.note } : {}) };
    return { accepted: true, checkout: this.state.view() };
  }

  private cancelRefusal(): string | null {
    const { state } = this;
    if (this.cancel) return null;
    if (state.isFinal) return `the checkout is already ${state.status}`;
    if (state.captureStarted) return 'payment capture has begun; the checkout can no longer be cancelled';
    if (state.status === 'compensating') return 'the checkout is already being undone';
    return null;
  }

  private reviewRefusal(decision: OperatorReview): string | null {
    const { state } = this;
    if (isRepeatedReview(state.review, decision)) return null;
    if (state.status !== 'awaiting_review' || this.review !== undefined) return `the checkout is ${state.status}, not awaiting review`;
    if (this.cancelRequested) return 'the checkout is being cancelled';
    return null;
  }

  /** At or after the review deadline (workflow time) the timeout stands: no decision or cancel is taken. */
  private closedReviewRefusal(): string | null {
    if (this.state.status !== 'awaiting_review' || this.reviewDeadline === null || this.review !== undefined || this.cancel !== null) return null;
    if (Date.now() < this.reviewDeadline) return null;
    return `the review window closed at ${new Date(this.reviewDeadline).toISOString()}; the checkout is declined`;
  }

  private refuse(reason: string): CommandOutcome {
    return { accepted: false, reason, checkout: this.state.view() };
  }
}

const refusedBy = (reason: string | null) => {
  if (reason !== null) throw new Error(reason);
};

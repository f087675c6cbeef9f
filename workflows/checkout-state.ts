/**
 * The live state of one checkout saga and the checkout object built from it. Every status change also
 * refreshes the search attributes and the Web UI details, so operators see the same story as the API.
 * Each upsert is a command, a history event and a visibility write: with `searchAttributesWithStatus`,
 * the fraud decision waits for the next status change and goes in the same upsert.
 */
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  isFinalStatus,
  merchantReferenceOf,
  searchAttributes,
  type CheckoutStatus,
  type CheckoutStep,
  type CheckoutView,
  type CheckoutWorkflowInput,
  type FailureCode,
  type FraudDecision,
  type GatewayName,
} from '../src/contracts/workflow.ts';
import { formatMoneyCode } from '../src/platform/money.ts';
import { markdownCode, markdownText, webUiMarkdown } from '../src/checkouts/web-ui-markdown.ts';
import type { CompensationProgress } from './compensations.ts';

const now = () => new Date().toISOString(); // workflow time: deterministic inside the sandbox

export class CheckoutState {
  status: CheckoutStatus = 'pending';
  step: CheckoutStep = 'started';
  fraud: CheckoutView['fraud'] = null;
  review: CheckoutView['review'] = null;
  payment: CheckoutView['payment'] = null;
  orderId: string | null = null;
  failure: CheckoutView['failure'] = null;
  compensation: CheckoutView['compensation'] = null;
  /** Once capture has begun the client can no longer cancel. */
  captureStarted = false;
  /** Once the saga has asked for an authorization. */
  authorizationRequested = false;
  /** True once the final state is stored and its event published. */
  outcomeRecorded = false;
  private readonly timeline: CheckoutView['timeline'] = [];
  /** The line of the Web UI details that the input fixes: amount, lines and customer. */
  private readonly inputLine: string;
  private updatedAt: string;
  /** The fraud decision not yet written to the search attributes. */
  private unsentFraudDecision: FraudDecision | null = null;

  constructor(
    readonly input: CheckoutWorkflowInput,
    private readonly options: { searchAttributesWithStatus: boolean } = { searchAttributesWithStatus: false },
  ) {
    this.updatedAt = input.createdAt;
    this.inputLine = `${formatMoneyCode(input.amount.total, input.amount.currency)} · ${input.items.length} line(s) · customer ${markdownCode(input.customer.id)}`;
    this.timeline.push({ step: 'started', at: input.createdAt });
  }

  reached(step: CheckoutStep): void {
    this.step = step;
    this.touch();
    this.timeline.push({ step, at: this.updatedAt });
    this.describe();
  }

  setStatus(status: CheckoutStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.touch();
    const fraud = this.unsentFraudDecision;
    this.unsentFraudDecision = null;
    upsertSearchAttributes([
      { key: searchAttributes.status, value: status },
      ...(fraud ? [{ key: searchAttributes.fraudDecision, value: fraud }] : []),
    ]);
    this.describe();
  }

  setFraud(score: number | null, decision: FraudDecision, reason?: string): void {
    this.fraud = reason === undefined ? { score, decision } : { score, decision, reason };
    if (this.options.searchAttributesWithStatus) this.unsentFraudDecision = decision;
    else upsertSearchAttributes([{ key: searchAttributes.fraudDecision, value: decision }]);
    this.reached('fraud_scored');
  }

  setAuthorization(gateway: GatewayName, authorizationId: string, expiresAt: string | null): void {
    this.payment = { gateway, authorizationId, captureId: null, voidId: null, refundId: null, expiresAt };
    this.reached('payment_authorized');
  }

  fail(code: FailureCode, message: string): void {
    this.failure ??= { code, message };
  }

  compensationProgress(progress: CompensationProgress): void {
    this.compensation = progress;
    this.touch();
    this.describe();
  }

  /** From the authorization's request until capture begins: a cancel then waits for the saga's verdict. */
  get paymentUnderway(): boolean {
    return this.authorizationRequested && !this.captureStarted;
  }

  get isFinal(): boolean {
    return isFinalStatus(this.status);
  }

  view(): CheckoutView {
    const { input } = this;
    return {
      id: input.checkoutId,
      status: this.status,
      step: this.step,
      amount: input.amount,
      merchantId: input.merchantId,
      customerId: input.customer.id,
      items: input.items,
      fraud: this.fraud,
      review: this.review,
      payment: this.payment,
      orderId: this.orderId,
      ...merchantReferenceOf(input),
      failure: this.failure,
      compensation: this.compensation,
      timeline: [...this.timeline],
      createdAt: input.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  private touch(): void {
    this.updatedAt = now();
  }

  /** The Web UI's "current details": where the saga is, in one readable block (markdown). */
  private describe(): void {
    const lines = [`**${this.status}** · step \`${this.step}\``, this.inputLine];
    if (this.fraud) lines.push(`fraud: ${this.fraud.decision} (score ${this.fraud.score ?? 'n/a'})`);
    if (this.payment) {
      const hold = this.payment.expiresAt && !this.payment.captureId && !this.payment.voidId ? ` · held until ${this.payment.expiresAt}` : '';
      lines.push(`payment: ${this.payment.gateway} ${markdownCode(this.payment.authorizationId)}${hold}`);
    }
    // A gateway's or a database's text, and ids a merchant chose: shown as they are, never as markdown.
    if (this.failure) lines.push(`failure: \`${this.failure.code}\` — ${markdownText(this.failure.message)}`);
    if (this.compensation?.lastError) lines.push(`compensation retrying (${this.compensation.attempts}): ${markdownText(this.compensation.lastError)}`);
    lines.push(`workflow \`${workflowInfo().workflowId}\``);
    setCurrentDetails(webUiMarkdown(lines));
  }
}

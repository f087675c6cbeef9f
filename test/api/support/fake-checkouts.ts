/** An in-memory CheckoutsPort that behaves like Temporal with USE_EXISTING: one execution per checkout id. */
import type { CheckoutStatus, CheckoutView, ReviewDecision } from '../../../src/contracts/checkout.ts';
import { merchantReferenceOf, type CheckoutWorkflowInput } from '../../../src/contracts/workflow.ts';
import type { CheckoutsPort, CommandResult } from '../../../src/checkouts/temporal-checkouts.ts';

export function pendingView(input: CheckoutWorkflowInput): CheckoutView {
  return {
    id: input.checkoutId,
    status: 'pending',
    step: 'started',
    amount: input.amount,
    merchantId: input.merchantId,
    customerId: input.customer.id,
    items: input.items,
    fraud: null,
    review: null,
    payment: null,
    orderId: null,
    ...merchantReferenceOf(input),
    failure: null,
    compensation: null,
    timeline: [{ step: 'started', at: input.createdAt }],
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
  };
}

export class FakeCheckouts implements CheckoutsPort {
  /** Every new execution, in order; a start of an existing id adds nothing (like the server's conflict policy). */
  readonly started: CheckoutWorkflowInput[] = [];
  /** Every call of `start`, including those that found an existing execution. */
  startCalls = 0;
  readonly views = new Map<string, CheckoutView>();
  /** What a wait turns the current view into; by default the saga stays where it is. */
  settle: (view: CheckoutView) => CheckoutView = (view) => view;
  /** When set, every call fails with it (e.g. Temporal down). */
  failWith: Error | null = null;
  readonly waits: { checkoutId: string; timeoutMs: number }[] = [];
  /** Every cancel and review, with its arguments. */
  readonly commands: { kind: 'cancel' | 'review'; checkoutId: string; args: unknown }[] = [];

  private check() {
    if (this.failWith) throw this.failWith;
  }

  async start(input: CheckoutWorkflowInput, { idempotent }: { idempotent: boolean }): Promise<void> {
    this.startCalls += 1;
    await new Promise((resolve) => setImmediate(resolve));
    this.check();
    if (this.views.has(input.checkoutId)) {
      if (!idempotent) throw new Error(`workflow checkout-${input.checkoutId} already exists`);
      return;
    }
    this.started.push(input);
    this.views.set(input.checkoutId, pendingView(input));
  }

  async get(checkoutId: string): Promise<CheckoutView | null> {
    this.check();
    return this.views.get(checkoutId) ?? null;
  }

  /** Puts a checkout into a status, as the saga would. */
  setStatus(checkoutId: string, status: CheckoutStatus): CheckoutView {
    const view = this.views.get(checkoutId);
    if (!view) throw new Error(`no checkout ${checkoutId}`);
    const next = { ...view, status };
    this.views.set(checkoutId, next);
    return next;
  }

  async cancel(checkoutId: string, options: { reason?: string } = {}): Promise<CommandResult> {
    this.check();
    this.commands.push({ kind: 'cancel', checkoutId, args: options });
    const view = this.views.get(checkoutId);
    if (!view) return { kind: 'not_found' };
    if (!['pending', 'awaiting_review'].includes(view.status)) return { kind: 'refused', reason: 'payment was already captured', checkout: view };
    return { kind: 'accepted', repeated: false, checkout: this.setStatus(checkoutId, 'compensating') };
  }

  async review(checkoutId: string, decision: ReviewDecision & { operator: string }): Promise<CommandResult> {
    this.check();
    this.commands.push({ kind: 'review', checkoutId, args: decision });
    const view = this.views.get(checkoutId);
    if (!view) return { kind: 'not_found' };
    if (view.status !== 'awaiting_review') return { kind: 'refused', reason: 'checkout is not awaiting review', checkout: view };
    return { kind: 'accepted', repeated: false, checkout: this.setStatus(checkoutId, decision.decision === 'approve' ? 'pending' : 'compensating') };
  }

  async waitForOutcome(checkoutId: string, timeoutMs: number): Promise<CheckoutView | null> {
    this.check();
    this.waits.push({ checkoutId, timeoutMs });
    const view = this.views.get(checkoutId);
    if (!view) return null;
    const settled = this.settle(view);
    this.views.set(checkoutId, settled);
    return settled;
  }
}

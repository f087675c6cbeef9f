/** A RefundsPort that admits refunds as the workflow's first step does, on the test database; nothing reaches a gateway. */
import type { RefundsPort } from '../../../src/checkouts/temporal-refunds.ts';
import type { RefundWorkflowInput } from '../../../src/contracts/refund.ts';
import type { Database } from '../../../src/platform/db/client.ts';
import { admitRefund } from '../../../src/refunds/admission.ts';
import { readRefund } from '../../../src/refunds/index.ts';

export class DatabaseRefunds implements RefundsPort {
  /** Every request, in order. */
  readonly requests: RefundWorkflowInput[] = [];

  constructor(private readonly db: Database) {}

  async request(input: RefundWorkflowInput) {
    this.requests.push(input);
    const known = await readRefund(this.db, input.refundId);
    if (known) return { kind: 'admitted' as const, refund: known };
    const admission = await admitRefund(this.db, input, () => null);
    if (admission.admitted) return { kind: 'admitted' as const, refund: admission.refund };
    const { admitted: _, ...refusal } = admission;
    return { kind: 'refused' as const, refusal };
  }
}

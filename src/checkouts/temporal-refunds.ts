/**
 * The API's port to refunds: each refund is its own workflow, started with an update that answers once the
 * refund is admitted or refused — one round trip, and a retried request (same refund id) reaches the same
 * workflow while it runs, or the refund's row once it has ended.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { REFUND_WORKFLOW_TYPE, refundAdmissionUpdate, refundWorkflowId, type RefundRefusal, type RefundView, type RefundWorkflowInput } from '../contracts/refund.ts';
import type { Database } from '../platform/db/client.ts';
import { formatMoneyCode } from '../platform/money.ts';
import { readRefund, refundableOf } from '../refunds/index.ts';
import { classifyTemporalError } from './temporal-checkouts.ts';
import { merchantPriority, PRIORITY_LEVEL } from '../contracts/task-priority.ts';

export type RefundRequestResult = { kind: 'admitted'; refund: RefundView } | { kind: 'refused'; refusal: RefundRefusal };

export interface RefundsPort {
  request(input: RefundWorkflowInput): Promise<RefundRequestResult>;
}

export interface TemporalRefundsDeps {
  client: Client;
  taskQueue: string;
  db: Database;
  /** How long the gateway is retried before a refund is escalated to an operator. */
  deadlineMs: number;
  rpcTimeoutMs?: number;
}

export function createTemporalRefunds({ client, taskQueue, db, deadlineMs, rpcTimeoutMs = 10_000 }: TemporalRefundsDeps): RefundsPort {
  /** A refund whose workflow has closed: its row when it was admitted, else the refusal it would get now. */
  async function ended(input: RefundWorkflowInput): Promise<RefundRequestResult> {
    const refund = await readRefund(db, input.refundId);
    if (refund) return { kind: 'admitted', refund };
    const { refundable, currency } = await refundableOf(db, input.checkoutId);
    return { kind: 'refused', refusal: { code: refundable > 0 ? 'amount_exceeds_refundable' : 'not_refundable', message: `Refund ${input.refundId} was refused; ${formatMoneyCode(refundable, currency)} is left to refund.`, refundable, currency } };
  }

  return {
    async request(input) {
      const known = await readRefund(db, input.refundId);
      if (known) return { kind: 'admitted', refund: known };
      const start = new WithStartWorkflowOperation(REFUND_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: refundWorkflowId(input.refundId),
        args: [{ ...input, deadlineMs }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A refund runs once: a request repeated after it ended is answered from its row.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        priority: merchantPriority(input.merchantId, PRIORITY_LEVEL.refund),
        staticSummary: `Refund ${input.refundId} of checkout ${input.checkoutId}`,
      });
      try {
        const answer = await client.connection.withDeadline(Date.now() + rpcTimeoutMs, () => client.workflow.executeUpdateWithStart(refundAdmissionUpdate, { startWorkflowOperation: start }));
        return answer.admitted ? { kind: 'admitted', refund: answer.refund } : { kind: 'refused', refusal: answer };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return ended(input);
        throw classifyTemporalError(error);
      }
    },
  };
}

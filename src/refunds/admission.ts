/**
 * Admits a refund: one transaction that locks the checkout's order, so concurrent refunds of one checkout are
 * judged one after the other and never take back more than was captured together. Admitting the same refund
 * again returns its row as it stands.
 */
import { and, eq, ne, sum } from 'drizzle-orm';
import type { RefundAdmission, RefundView, RefundWorkflowInput } from '../contracts/refund.ts';
import type { EventCustomer } from '../contracts/checkout.ts';
import type { Database } from '../platform/db/client.ts';
import { checkoutResults, orders, refunds } from '../platform/db/schema/index.ts';
import { formatMoneyCode } from '../platform/money.ts';

export type RefundRow = typeof refunds.$inferSelect;

/** A refund row as the API and the workflow see it. */
export const refundViewOf = (row: RefundRow): RefundView => ({
  id: row.id,
  checkoutId: row.checkoutId,
  merchantId: row.merchantId,
  orderId: row.orderId,
  amount: row.amount,
  currency: row.currency,
  reason: row.reason,
  status: row.status,
  gateway: row.gateway,
  captureId: row.captureId,
  gatewayRefundId: row.gatewayRefundId,
  failure: row.failureCode ? { code: row.failureCode, message: row.failureMessage ?? '' } : null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * Decides a refund request. `openCustomer` reads the checkout's sealed customer (null when none was kept, or
 * when it does not open: the refund goes ahead without its email).
 */
export async function admitRefund(db: Database, input: RefundWorkflowInput, openCustomer: (checkoutId: string, sealed: unknown) => EventCustomer | null): Promise<RefundAdmission> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.checkoutId, input.checkoutId)).for('update');
    const [record] = await tx
      .select({ view: checkoutResults.view, sealedContact: checkoutResults.sealedContact, finishedAt: checkoutResults.finishedAt })
      .from(checkoutResults)
      .where(eq(checkoutResults.checkoutId, input.checkoutId));
    const customer = () => (record?.sealedContact ? openCustomer(input.checkoutId, record.sealedContact) : null);

    const [existing] = await tx.select().from(refunds).where(eq(refunds.id, input.refundId));
    if (existing && record) return { admitted: true, refund: refundViewOf(existing), checkout: record.view, customer: customer() };

    const payment = record?.view.payment;
    const currency = order?.currency ?? record?.view.amount.currency ?? '';
    if (!order || order.merchantId !== input.merchantId || order.status !== 'paid' || !order.captureId || !record?.finishedAt || record.view.status !== 'completed' || !payment) {
      const status = record?.finishedAt ? record.view.status : 'running';
      return { admitted: false, code: 'not_refundable', message: `Checkout ${input.checkoutId} has no captured payment to refund (it is ${status}).`, refundable: 0, currency };
    }

    const [held] = await tx
      .select({ amount: sum(refunds.amount) })
      .from(refunds)
      .where(and(eq(refunds.checkoutId, input.checkoutId), ne(refunds.status, 'failed')));
    const refundable = order.total - Number(held?.amount ?? 0);
    const amount = input.amount ?? refundable;
    if (refundable <= 0 || amount > refundable) {
      const left = refundable <= 0 ? 'nothing is left to refund' : `${formatMoneyCode(refundable, currency)} is left to refund`;
      return { admitted: false, code: 'amount_exceeds_refundable', message: `Cannot refund ${formatMoneyCode(amount, currency)}: ${left} of ${formatMoneyCode(order.total, currency)} captured.`, refundable: Math.max(refundable, 0), currency };
    }

    const now = new Date();
    const [row] = await tx
      .insert(refunds)
      .values({
        id: input.refundId,
        checkoutId: input.checkoutId,
        merchantId: input.merchantId,
        orderId: order.id,
        amount,
        currency,
        reason: input.reason,
        status: 'pending',
        gateway: payment.gateway,
        captureId: order.captureId,
        createdAt: new Date(input.requestedAt),
        updatedAt: now,
      })
      .returning();
    return { admitted: true, refund: refundViewOf(row!), checkout: record.view, customer: customer() };
  });
}

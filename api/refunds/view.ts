/** A refund as the caller is shown it: operators every detail, a merchant the failure in words made for it. */
import type { RefundView } from '../../src/contracts/refund.ts';
import type { Principal } from '../context.ts';

/** What a merchant is told of a failed or escalated refund: never the gateway's own text. */
const MERCHANT_FAILURES: Record<string, string> = {
  refund_refused: 'The gateway refused the refund: the capture has nothing, or not enough, left to refund. Nothing was refunded.',
  refund_escalated: 'The gateway did not confirm the refund in time; our operators are settling it. The amount stays held until then.',
};

export function refundFor(principal: Principal, refund: RefundView): RefundView {
  if (principal.role === 'operator' || !refund.failure) return refund;
  return { ...refund, failure: { code: refund.failure.code, message: MERCHANT_FAILURES[refund.failure.code] ?? 'The refund did not go through.' } };
}

/** What a saga starts from: the client's request with the server's prices, never the client's. */
import type { CheckoutRequest, Money, PricedItem } from '../contracts/checkout.ts';
import type { CheckoutWorkflowInput } from '../contracts/workflow.ts';

export interface CheckoutIdentity {
  checkoutId: string;
  merchantId: string;
  createdAt: string;
  reviewTimeoutMs: number;
}

export function checkoutWorkflowInput(request: CheckoutRequest, priced: { items: PricedItem[]; amount: Money }, identity: CheckoutIdentity): CheckoutWorkflowInput {
  return {
    checkoutId: identity.checkoutId,
    merchantId: identity.merchantId,
    customer: request.customer,
    items: priced.items,
    amount: priced.amount,
    paymentToken: request.payment.token,
    shippingAddress: request.shippingAddress,
    createdAt: identity.createdAt,
    reviewTimeoutMs: identity.reviewTimeoutMs,
    ...(request.metadata && { metadata: request.metadata }),
    ...(request.clientReferenceId && { clientReferenceId: request.clientReferenceId }),
  };
}

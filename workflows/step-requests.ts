/** What the saga tells the fraud service and the orders table about a checkout (the floors of the benchmark send the same). */
import type { CheckoutWorkflowInput } from '../src/contracts/workflow.ts';

export const fraudScoreRequest = (input: CheckoutWorkflowInput) => ({
  checkoutId: input.checkoutId,
  customerId: input.customer.id,
  email: input.customer.email,
  amount: input.amount.total,
  currency: input.amount.currency,
  paymentToken: input.paymentToken,
  itemCount: input.items.reduce((n, i) => n + i.quantity, 0),
});

export const orderRequest = (input: CheckoutWorkflowInput) => ({
  checkoutId: input.checkoutId,
  merchantId: input.merchantId,
  customerId: input.customer.id,
  items: input.items,
  total: input.amount.total,
  currency: input.amount.currency,
  shippingAddress: input.shippingAddress as Record<string, string>,
});

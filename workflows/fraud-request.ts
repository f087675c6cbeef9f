/** What the saga tells the fraud service about a checkout. */
import type { CheckoutWorkflowInput } from '../src/contracts/saga.ts';

export const fraudScoreRequest = (input: CheckoutWorkflowInput) => ({
  checkoutId: input.checkoutId,
  customerId: input.customer.id,
  email: input.customer.email,
  amount: input.amount.total,
  currency: input.amount.currency,
  paymentToken: input.paymentToken,
  itemCount: input.items.reduce((n, i) => n + i.quantity, 0),
});

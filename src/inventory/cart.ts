/** A line of a customer's cart as the client sends it. */
import type { CheckoutRequest } from '../contracts/checkout.ts';

export type CartItem = CheckoutRequest['items'][number];

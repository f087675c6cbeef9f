import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';

let stack: CheckoutStack;
beforeAll(async () => {
  stack = await startCheckoutStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('checkout saga on the real dev server', () => {
  it('completes a tok_visa checkout', async () => {
    const result = await stack.run({ token: 'tok_visa' });
    expect(result.status).toBe('completed');
    expect(result.failure).toBeNull();
  });
});

/** The fraud client asks about a checkout under one idempotency key, so asking again gets the first answer. */
import { describe, expect, it } from 'vitest';
import { createFraudClient } from '../../activities/clients/fraud-client.ts';

describe('the fraud client', () => {
  it('sends <checkoutId>:fraud-score as the Idempotency-Key of every scoring of a checkout', async () => {
    const keys: (string | null)[] = [];
    const client = createFraudClient('http://fraud.test', {
      timeoutMs: 1_000,
      fetch: async (_url, init) => {
        keys.push(new Headers(init?.headers).get('idempotency-key'));
        return new Response(JSON.stringify({ score: 10, reasons: [] }), { status: 200 });
      },
    });
    const input = { checkoutId: 'chk_1', customerId: 'cus_1', email: 'ada@example.com', amount: 100, currency: 'USD', paymentToken: 'tok_visa', itemCount: 1 };
    await client.score(input);
    await client.score(input);
    expect(keys).toEqual(['chk_1:fraud-score', 'chk_1:fraud-score']);
  });
});

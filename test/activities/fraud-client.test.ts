/** The fraud client asks about a checkout under one idempotency key, so asking again gets the first answer. */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFraudClient } from '../../src/fraud/client.ts';

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

  it('fingerprints the token and the email with a keyed HMAC: a plain hash of a guessed value does not match them', async () => {
    const sent: Record<string, string>[] = [];
    const clientWith = (fingerprintKey: string) =>
      createFraudClient('http://fraud.test', {
        timeoutMs: 1_000,
        fingerprintKey,
        fetch: async (_url, init) => {
          sent.push(JSON.parse(String(init?.body)) as Record<string, string>);
          return new Response(JSON.stringify({ score: 10, reasons: [] }), { status: 200 });
        },
      });
    const input = { checkoutId: 'chk_1', customerId: 'cus_1', email: 'Ada@Example.com', amount: 100, currency: 'USD', paymentToken: 'tok_visa', itemCount: 1 };
    await clientWith('a'.repeat(32)).score(input);
    await clientWith('b'.repeat(32)).score(input);
    const [first, second] = sent;
    const sha256 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);
    expect(first!.emailFingerprint).toBe(createHmac('sha256', 'a'.repeat(32)).update('ada@example.com').digest('hex').slice(0, 32));
    expect([first!.emailFingerprint, first!.tokenFingerprint]).not.toContain(sha256('ada@example.com'));
    expect(first!.tokenFingerprint).not.toBe(sha256('tok_visa'));
    // Another key, other fingerprints: a vendor holding one deployment's cannot match them elsewhere.
    expect(second!.tokenFingerprint).not.toBe(first!.tokenFingerprint);
    expect(JSON.stringify(sent)).not.toContain('tok_visa');
  });
});


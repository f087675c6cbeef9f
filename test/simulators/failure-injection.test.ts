import { describe, expect, it } from 'vitest';
import { createFraudApp, createGatewayApp } from '../../src/roles/simulators.ts';
import { ledger, post } from './support/http.ts';
import { seededRandom } from './support/seeded-random.ts';
import { toFraudWireRequest } from '../../src/fraud/client.ts';

const scoreBody = toFraudWireRequest({ checkoutId: 'chk_1', customerId: 'cus_1', email: 'ada@example.com', amount: 1000, currency: 'USD', paymentToken: 'tok_visa', itemCount: 1 });

/** The statuses a run of `n` requests gets, and which of them the seeded source should fail. */
function expectedFailures(seed: number, rate: number, n: number): boolean[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => random() < rate);
}

describe('failure injection', () => {
  it('answers 503 to the share of gateway requests the seeded random picks, before doing anything', async () => {
    const app = createGatewayApp({ name: 'primary', failureRate: 0.3, random: seededRandom(42) });
    const failed: boolean[] = [];
    for (let i = 0; i < 40; i++) {
      const answer = await post(app, '/v1/authorizations', { checkoutId: `chk_${i}`, amount: 100, currency: 'USD', token: 'tok_visa' }, `k${i}`);
      if (answer.status === 503) expect(answer.body.error.code).toBe('unavailable');
      failed.push(answer.status === 503);
    }
    expect(failed).toEqual(expectedFailures(42, 0.3, 40));
    expect(failed.filter(Boolean).length).toBeGreaterThan(0);
    expect(await ledger(app)).toHaveLength(failed.filter((f) => !f).length);
  });

  it('lets a retry with the same key through once the injected failure passes', async () => {
    const values = [0.1, 0.9];
    const app = createGatewayApp({ name: 'primary', failureRate: 0.5, random: () => values.shift() ?? 0.9 });
    const body = { checkoutId: 'chk_r', amount: 100, currency: 'USD', token: 'tok_visa' };
    expect((await post(app, '/v1/authorizations', body, 'k')).status).toBe(503);
    expect((await post(app, '/v1/authorizations', body, 'k')).status).toBe(200);
  });

  it('injects failures into the fraud service the same way, but never into /healthz', async () => {
    const app = createFraudApp({ failureRate: 0.5, random: seededRandom(7) });
    const failed: boolean[] = [];
    for (let i = 0; i < 20; i++) failed.push((await post(app, '/v1/scores', { ...scoreBody, checkoutId: `chk_${i}` })).status === 503);
    expect(failed).toEqual(expectedFailures(7, 0.5, 20));
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('fails nothing at rate 0 and everything at rate 1', async () => {
    const never = createGatewayApp({ name: 'primary', failureRate: 0 });
    const always = createGatewayApp({ name: 'primary', failureRate: 1 });
    const body = { checkoutId: 'chk_x', amount: 100, currency: 'USD', token: 'tok_visa' };
    expect((await post(never, '/v1/authorizations', body, 'k')).status).toBe(200);
    expect((await post(always, '/v1/authorizations', body, 'k')).status).toBe(503);
  });

  it('rejects a failure rate outside 0..1', () => {
    expect(() => createGatewayApp({ name: 'primary', failureRate: 1.5 })).toThrow(RangeError);
  });
});

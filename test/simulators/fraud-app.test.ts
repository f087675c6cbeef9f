import { describe, expect, it } from 'vitest';
import { DECLINE_THRESHOLD, REVIEW_THRESHOLD } from '../../src/fraud/bands.ts';
import { createFraudApp } from '../../src/roles/simulators.ts';
import { post } from './support/http.ts';
import { toFraudWireRequest, type FraudScoreRequest } from '../../src/fraud/client.ts';

/** A scoring request as the worker's fraud client sends it: fingerprints, not the token or the address. */
const request = (overrides: Partial<FraudScoreRequest> = {}) =>
  toFraudWireRequest({ checkoutId: 'chk_1', customerId: 'cus_1', email: 'ada@example.com', amount: 3998, currency: 'USD', paymentToken: 'tok_visa', itemCount: 2, ...overrides });

const score = async (app: ReturnType<typeof createFraudApp>, overrides: Partial<FraudScoreRequest> = {}) => {
  const answer = await post(app, '/v1/scores', request(overrides));
  expect(answer.status).toBe(200);
  return answer.body as { score: number; reasons: string[] };
};

describe('fraud simulator', () => {
  it('scores an ordinary checkout low, and the same checkout the same on retry', async () => {
    const app = createFraudApp();
    const first = await score(app);
    expect(first.score).toBeGreaterThanOrEqual(5);
    expect(first.score).toBeLessThanOrEqual(15);
    expect(first.reasons).toEqual([]);
    expect(await score(app)).toEqual(first);
  });

  it('puts tok_riskReview in the review band, even with other risk signals', async () => {
    const app = createFraudApp();
    for (const extra of [{}, { email: 'x@mailinator.com', amount: 2_000_000 }]) {
      const { score: s, reasons } = await score(app, { paymentToken: 'tok_riskReview', ...extra });
      expect(s).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
      expect(s).toBeLessThan(DECLINE_THRESHOLD);
      expect(reasons).toContain('card_needs_review');
    }
  });

  it('puts tok_riskHighest at or above the decline threshold', async () => {
    const { score: s } = await score(createFraudApp(), { paymentToken: 'tok_riskHighest' });
    expect(s).toBeGreaterThanOrEqual(DECLINE_THRESHOLD);
    expect(s).toBeLessThanOrEqual(100);
  });

  it('raises the score for a disposable email domain and for large amounts', async () => {
    const app = createFraudApp();
    const base = (await score(app)).score;
    const disposable = await score(app, { email: 'Ada@Mailinator.com' });
    expect(disposable.reasons).toContain('disposable_email_domain');
    expect(disposable.score).toBeGreaterThan(base);
    expect(disposable.score).toBeLessThan(REVIEW_THRESHOLD);
    const large = await score(app, { amount: 150_000 });
    expect(large.reasons).toContain('large_amount');
    const both = await score(app, { email: 'a@tempmail.com', amount: 150_000 });
    expect(both.score).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
  });

  it('keeps twenty ordinary checkouts by one customer well under review', async () => {
    const app = createFraudApp();
    for (let i = 0; i < 20; i++) expect((await score(app, { checkoutId: `chk_${i}` })).score).toBeLessThan(REVIEW_THRESHOLD);
  });

  it('sends abusive checkout velocity to review, and forgets it once the window slides past', async () => {
    let now = 1_000_000;
    const app = createFraudApp({ now: () => now, velocityThreshold: 5, velocityWindowMs: 60_000 });
    for (let i = 0; i < 5; i++) expect((await score(app, { checkoutId: `chk_${i}` })).reasons).not.toContain('high_checkout_velocity');
    const sixth = await score(app, { checkoutId: 'chk_5' });
    expect(sixth.reasons).toContain('high_checkout_velocity');
    expect(sixth.score).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
    expect((await score(app, { checkoutId: 'chk_x', customerId: 'cus_other' })).reasons).toEqual([]);
    now += 60_001;
    expect((await score(app, { checkoutId: 'chk_6' })).score).toBeLessThan(REVIEW_THRESHOLD);
  });

  it('does not count a retried scoring of the same checkout as another checkout', async () => {
    const app = createFraudApp({ now: () => 0, velocityThreshold: 2 });
    for (let i = 0; i < 5; i++) expect((await score(app)).reasons).toEqual([]);
  });

  it('answers a request with the same Idempotency-Key as it did the first time, though the score would have changed', async () => {
    let now = 1_000_000;
    const app = createFraudApp({ now: () => now, velocityThreshold: 1, velocityWindowMs: 60_000 });
    const first = await post(app, '/v1/scores', request({ checkoutId: 'chk_a' }), 'chk_a:fraud-score');
    expect(first.body.reasons).toEqual([]);
    // Another checkout of the customer pushes the velocity over the threshold: a fresh score would be higher.
    expect((await score(app, { checkoutId: 'chk_b' })).reasons).toContain('high_checkout_velocity');
    now += 1_000;
    const again = await post(app, '/v1/scores', request({ checkoutId: 'chk_a' }), 'chk_a:fraud-score');
    expect(again.body).toEqual(first.body);
    const reused = await post(app, '/v1/scores', request({ checkoutId: 'chk_c' }), 'chk_a:fraud-score');
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
  });

  it('rejects invalid JSON and invalid shapes with 400 invalid_request', async () => {
    const app = createFraudApp();
    const badJson = await post(app, '/v1/scores', '{"checkoutId":');
    expect(badJson.status).toBe(400);
    expect(badJson.body).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
    const badShape = await post(app, '/v1/scores', { ...request(), amount: 'lots', emailDomain: undefined });
    expect(badShape.status).toBe(400);
    expect(badShape.body.error.message).toMatch(/amount/);
    expect(badShape.body.error.message).toMatch(/emailDomain/);
  });

  it('refuses the chargeable token or an email address in place of their fingerprints', async () => {
    const app = createFraudApp();
    const clear = await post(app, '/v1/scores', { ...request(), tokenFingerprint: 'tok_visa', emailDomain: 'ada@example.com' });
    expect(clear.status).toBe(400);
    expect(clear.body.error.message).toMatch(/tokenFingerprint.*never the value itself/);
    expect(clear.body.error.message).toMatch(/emailDomain.*not an address/);
    const wire = JSON.stringify(request({ paymentToken: 'tok_mastercard', email: 'Grace@Example.com' }));
    expect(wire).not.toContain('tok_mastercard');
    expect(wire.toLowerCase()).not.toContain('grace');
    expect(JSON.parse(wire)).toMatchObject({ emailDomain: 'example.com' });
  });

  it('answers /healthz', async () => {
    expect(await (await createFraudApp().request('/healthz')).json()).toEqual({ ok: true, name: 'fraud' });
  });
});

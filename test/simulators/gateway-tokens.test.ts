import { describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../src/roles/simulators.ts';
import { authorize, ledger, post, type Answer } from './support/http.ts';

const gateway = (name = 'primary', hangMs = 0) => createGatewayApp({ name, hangMs });

describe('gateway test tokens', () => {
  it('tok_visa authorizes and captures', async () => {
    const app = gateway();
    const auth = await authorize(app, 'chk_visa');
    expect(auth.status).toBe(200);
    expect(auth.body).toEqual({ id: expect.stringMatching(/^auth_/), status: 'authorized', amount: 2500, currency: 'USD', expiresAt: expect.any(String) });
    // The hold lasts the card networks' usual seven days.
    expect(Date.parse(auth.body.expiresAt) - Date.now()).toBeGreaterThan(7 * 24 * 3_600_000 - 60_000);
    const capture = await post(app, `/v1/authorizations/${auth.body.id}/capture`, { amount: 2500 }, 'chk_visa:capture');
    expect(capture.status).toBe(200);
    expect(capture.body).toEqual({ id: expect.stringMatching(/^cap_/), authorizationId: auth.body.id, amount: 2500, status: 'captured' });
    expect((await ledger(app, 'chk_visa')).map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });

  it.each([
    ['tok_chargeDeclined', 'card_declined'],
    ['tok_insufficientFunds', 'insufficient_funds'],
    ['card_4242', 'invalid_token'],
  ])('%s is refused with 402 %s and charges nothing', async (token, code) => {
    const app = gateway();
    const answer = await authorize(app, 'chk_refused', token);
    expect(answer.status).toBe(402);
    expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
    expect(await ledger(app)).toEqual([]);
  });

  it('refuses a token it does not know, as a real gateway does, and accepts tok_mastercard', async () => {
    const app = gateway();
    expect(await authorize(app, 'chk_other', 'tok_madeUp')).toMatchObject({ status: 402, body: { error: { code: 'invalid_token' } } });
    expect((await authorize(app, 'chk_master', 'tok_mastercard')).status).toBe(200);
  });

  it('tok_flaky answers 503 twice per checkout, then authorizes', async () => {
    const app = gateway();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await authorize(app, 'chk_flaky', 'tok_flaky')).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await authorize(app, 'chk_flaky_2', 'tok_flaky')).status).toBe(503);
    expect(await ledger(app)).toHaveLength(1);
  });

  it('tok_timeoutAfterCharge charges, holds the first answer, and answers a retry at once with the same authorization', async () => {
    const app = gateway('primary', 400);
    const started = Date.now();
    const first = authorize(app, 'chk_hang', 'tok_timeoutAfterCharge').then((a) => ({ ...a, ms: Date.now() - started }));
    await new Promise((r) => setTimeout(r, 50));
    const retry = await authorize(app, 'chk_hang', 'tok_timeoutAfterCharge');
    expect(Date.now() - started).toBeLessThan(300);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const held = await first;
    expect(held.ms).toBeGreaterThanOrEqual(390);
    expect(held.body).toEqual(retry.body);
    expect(await ledger(app, 'chk_hang')).toHaveLength(1);
  });

  it('tok_lostThenUnavailable loses the first answer, answers 503 three times, then replays the authorization', async () => {
    const app = gateway('primary', 50);
    const first = await authorize(app, 'chk_lost', 'tok_lostThenUnavailable');
    const statuses: Answer[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await authorize(app, 'chk_lost', 'tok_lostThenUnavailable'));
    expect(statuses.map((a) => a.status)).toEqual([503, 503, 503, 200]);
    expect(statuses[3]?.body).toEqual(first.body);
    expect(await ledger(app, 'chk_lost')).toHaveLength(1);
  });

  it('tok_garbledAnswer authorizes, answers twice with a body that is not an authorization, then replays it', async () => {
    const app = gateway();
    const raw = () =>
      app.request('/v1/authorizations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'chk_garbled:authorize' },
        body: JSON.stringify({ checkoutId: 'chk_garbled', amount: 2500, currency: 'USD', token: 'tok_garbledAnswer' }),
      });
    const answers: { status: number; text: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await raw();
      answers.push({ status: response.status, text: await response.text() });
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(() => JSON.parse(answers[0]!.text)).toThrow();
    expect(JSON.parse(answers[2]!.text)).toMatchObject({ id: expect.stringMatching(/^auth_/), status: 'authorized' });
    expect(await ledger(app, 'chk_garbled')).toHaveLength(1);
  });

  it('tok_captureAnswerLost captures once and answers 500 to the first five capture requests, then replays the capture', async () => {
    const app = gateway();
    const auth = await authorize(app, 'chk_caplost', 'tok_captureAnswerLost');
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await post(app, `/v1/authorizations/${auth.body.id}/capture`, {}, 'chk_caplost:capture'));
    expect(answers.map((a) => a.status)).toEqual([500, 500, 500, 500, 500, 200]);
    expect(answers[5]?.body).toMatchObject({ id: expect.stringMatching(/^cap_/), status: 'captured' });
    expect((await ledger(app, 'chk_caplost')).map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });

  it('tok_shortHold lapses after two seconds: the ledger shows the expiry, and capture and void are refused', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const app = createGatewayApp({ name: 'primary', now: () => now });
    const auth = await authorize(app, 'chk_short', 'tok_shortHold');
    expect(auth.body.expiresAt).toBe('2026-01-01T00:00:02.000Z');
    now += 2_000;
    expect((await ledger(app, 'chk_short')).map((e) => [e.kind, e.at])).toEqual([
      ['authorization', '2026-01-01T00:00:00.000Z'],
      ['expiry', '2026-01-01T00:00:02.000Z'],
    ]);
    expect((await post(app, `/v1/authorizations/${auth.body.id}/capture`, {}, 'chk_short:capture')).body.error.code).toBe('authorization_expired');
    expect((await post(app, `/v1/authorizations/${auth.body.id}/void`, {}, 'chk_short:void')).body.error.code).toBe('authorization_expired');
    expect(await ledger(app, 'chk_short')).toHaveLength(2);
  });

  it('tok_captureFails authorizes but refuses the capture, and the authorization can still be voided', async () => {
    const app = gateway();
    const auth = await authorize(app, 'chk_capfail', 'tok_captureFails');
    expect(auth.status).toBe(200);
    const capture = await post(app, `/v1/authorizations/${auth.body.id}/capture`, { amount: 2500 }, 'chk_capfail:capture');
    expect(capture.status).toBe(402);
    expect(capture.body.error.code).toBe('capture_refused');
    const voided = await post(app, `/v1/authorizations/${auth.body.id}/void`, {}, 'chk_capfail:void');
    expect(voided.body).toEqual({ id: expect.stringMatching(/^void_/), authorizationId: auth.body.id, status: 'voided' });
    expect((await ledger(app, 'chk_capfail')).map((e) => e.kind)).toEqual(['authorization', 'void']);
  });

  it('tok_primaryDown is unavailable on the primary and authorizes on the secondary', async () => {
    const primary = gateway('primary');
    const secondary = gateway('secondary');
    for (let i = 0; i < 3; i++) {
      const answer = await authorize(primary, 'chk_down', 'tok_primaryDown');
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('unavailable');
    }
    expect((await authorize(secondary, 'chk_down', 'tok_primaryDown')).status).toBe(200);
    expect(await ledger(primary)).toEqual([]);
    expect(await ledger(secondary)).toHaveLength(1);
  });

  it('tok_gatewayMisconfigured is refused by the primary as a wrong API key (401 unauthorized) and authorizes on the secondary', async () => {
    const primary = gateway('primary');
    const answer = await authorize(primary, 'chk_key', 'tok_gatewayMisconfigured');
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
    expect((await authorize(gateway('secondary'), 'chk_key', 'tok_gatewayMisconfigured')).status).toBe(200);
    expect(await ledger(primary)).toEqual([]);
  });

  it.each(['tok_riskReview', 'tok_riskHighest'])('%s is a good card to the gateway', async (token) => {
    expect((await authorize(gateway(), 'chk_risk', token)).status).toBe(200);
  });
});

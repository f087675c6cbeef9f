import { describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../src/roles/simulators.ts';
import { authorize, ledger, post } from './support/http.ts';

const at = Date.parse('2026-11-22T10:00:00.000Z');
const gateway = () => createGatewayApp({ name: 'primary', now: () => at });

describe('gateway capture, void and refund', () => {
  it('refuses to void a captured authorization with 409 already_captured', async () => {
    const app = gateway();
    const auth = await authorize(app, 'chk_1');
    await post(app, `/v1/authorizations/${auth.body.id}/capture`, { amount: 2500 }, 'chk_1:capture');
    const voided = await post(app, `/v1/authorizations/${auth.body.id}/void`, {}, 'chk_1:void');
    expect(voided.status).toBe(409);
    expect(voided.body.error.code).toBe('already_captured');
    expect((await ledger(app)).map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });

  it('refuses to capture a voided authorization with 409 authorization_voided', async () => {
    const app = gateway();
    const auth = await authorize(app, 'chk_2');
    await post(app, `/v1/authorizations/${auth.body.id}/void`, {}, 'chk_2:void');
    const capture = await post(app, `/v1/authorizations/${auth.body.id}/capture`, { amount: 2500 }, 'chk_2:capture');
    expect(capture.status).toBe(409);
    expect(capture.body.error.code).toBe('authorization_voided');
  });

  it('refuses to capture more than was authorized with 402 amount_too_large', async () => {
    const app = gateway();
    const auth = await authorize(app, 'chk_3', 'tok_visa', 1000);
    const capture = await post(app, `/v1/authorizations/${auth.body.id}/capture`, { amount: 1001 }, 'chk_3:capture');
    expect(capture.status).toBe(402);
    expect(capture.body.error.code).toBe('amount_too_large');
  });

  it('answers 404 not_found for unknown authorizations and captures', async () => {
    const app = gateway();
    const capture = await post(app, '/v1/authorizations/auth_nope/capture', { amount: 1 }, 'k1');
    expect(capture.status).toBe(404);
    expect(capture.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await post(app, '/v1/authorizations/auth_nope/void', {}, 'k2')).status).toBe(404);
    expect((await post(app, '/v1/captures/cap_nope/refund', { amount: 1 }, 'k3')).status).toBe(404);
  });

  it('refunds a capture, not beyond what was captured, with ledger entries carrying the checkout id', async () => {
    const app = gateway();
    const auth = await authorize(app, 'chk_4', 'tok_visa', 3000);
    const capture = await post(app, `/v1/authorizations/${auth.body.id}/capture`, { amount: 3000 }, 'chk_4:capture');
    const refund = await post(app, `/v1/captures/${capture.body.id}/refund`, { amount: 3000 }, 'chk_4:refund');
    expect(refund.body).toEqual({ id: expect.stringMatching(/^re_/), captureId: capture.body.id, amount: 3000, status: 'refunded' });
    const again = await post(app, `/v1/captures/${capture.body.id}/refund`, { amount: 1 }, 'chk_4:refund-2');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_refunded');
    expect(await ledger(app, 'chk_4')).toEqual([
      { kind: 'authorization', id: auth.body.id, checkoutId: 'chk_4', amount: 3000, currency: 'USD', idempotencyKey: 'chk_4:authorize', at: '2026-11-22T10:00:00.000Z' },
      { kind: 'capture', id: capture.body.id, checkoutId: 'chk_4', amount: 3000, currency: 'USD', idempotencyKey: 'chk_4:capture', at: '2026-11-22T10:00:00.000Z' },
      { kind: 'refund', id: refund.body.id, checkoutId: 'chk_4', amount: 3000, currency: 'USD', idempotencyKey: 'chk_4:refund', at: '2026-11-22T10:00:00.000Z' },
    ]);
  });

  it('filters the ledger by checkout id', async () => {
    const app = gateway();
    await authorize(app, 'chk_a');
    const b = await authorize(app, 'chk_b');
    await post(app, `/v1/authorizations/${b.body.id}/void`, {}, 'chk_b:void');
    expect(await ledger(app)).toHaveLength(3);
    expect((await ledger(app, 'chk_a')).map((e) => [e.kind, e.checkoutId])).toEqual([['authorization', 'chk_a']]);
    expect((await ledger(app, 'chk_b')).map((e) => e.kind)).toEqual(['authorization', 'void']);
    expect(await ledger(app, 'chk_none')).toEqual([]);
  });

  it('answers /healthz with its name', async () => {
    const response = await createGatewayApp({ name: 'secondary' }).request('/healthz');
    expect(await response.json()).toEqual({ ok: true, name: 'secondary' });
  });
});

import { describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../src/roles/simulators.ts';
import { IdempotencyStore } from '../../src/platform/simulation/idempotency-store.ts';
import { authorize, ledger, post } from './support/http.ts';

describe('gateway idempotency', () => {
  it('replays the stored answer to the same key and body, adding no ledger entry', async () => {
    const app = createGatewayApp({ name: 'primary' });
    const first = await authorize(app, 'chk_1');
    const second = await authorize(app, 'chk_1');
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await ledger(app)).toHaveLength(1);
  });

  it('replays refusals too, so a declined card stays declined for that key', async () => {
    const app = createGatewayApp({ name: 'primary' });
    const first = await authorize(app, 'chk_2', 'tok_chargeDeclined');
    const second = await authorize(app, 'chk_2', 'tok_chargeDeclined');
    expect([first.status, second.status]).toEqual([402, 402]);
    expect(second.body).toEqual(first.body);
  });

  it('treats bodies differing only in key order as the same parameters', async () => {
    const app = createGatewayApp({ name: 'primary' });
    await post(app, '/v1/authorizations', { checkoutId: 'chk_3', amount: 10, currency: 'USD', token: 'tok_visa' }, 'k3');
    const again = await post(app, '/v1/authorizations', '{"token":"tok_visa","currency":"USD","amount":10,"checkoutId":"chk_3"}', 'k3');
    expect(again.status).toBe(200);
    expect(await ledger(app)).toHaveLength(1);
  });

  it('refuses a key reused with a different body or path with 409 idempotency_key_reused', async () => {
    const app = createGatewayApp({ name: 'primary' });
    const auth = await authorize(app, 'chk_4', 'tok_visa', 1000);
    const otherAmount = await authorize(app, 'chk_4', 'tok_visa', 2000);
    expect(otherAmount.status).toBe(409);
    expect(otherAmount.body).toEqual({ error: { code: 'idempotency_key_reused', message: expect.any(String) } });
    const otherPath = await post(app, `/v1/authorizations/${auth.body.id}/void`, {}, 'chk_4:authorize');
    expect(otherPath.status).toBe(409);
    expect(await ledger(app)).toHaveLength(1);
  });

  it('requires an Idempotency-Key on payment calls', async () => {
    const app = createGatewayApp({ name: 'primary' });
    const answer = await post(app, '/v1/authorizations', { checkoutId: 'chk_5', amount: 10, currency: 'USD', token: 'tok_visa' });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'idempotency_key_missing', message: expect.any(String) } });
  });

  it('rejects invalid JSON and invalid shapes with 400 invalid_request', async () => {
    const app = createGatewayApp({ name: 'primary' });
    expect((await post(app, '/v1/authorizations', '{nope', 'k6')).body.error.code).toBe('invalid_request');
    const shape = await post(app, '/v1/authorizations', { checkoutId: 'chk_6', amount: -5, currency: 'USD', token: 'tok_visa' }, 'k6');
    expect(shape.status).toBe(400);
    expect(shape.body.error.message).toContain('amount');
  });

  it('performs concurrent requests with one key once, and answers them all alike', async () => {
    const app = createGatewayApp({ name: 'primary', latencyMs: 20 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => authorize(app, 'chk_7')));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await ledger(app)).toHaveLength(1);
  });

  it('does not keep 503 answers, so a retry with the same key tries again', async () => {
    const app = createGatewayApp({ name: 'primary' });
    expect((await authorize(app, 'chk_8', 'tok_flaky')).status).toBe(503);
    expect((await authorize(app, 'chk_8', 'tok_flaky')).status).toBe(503);
    expect((await authorize(app, 'chk_8', 'tok_flaky')).status).toBe(200);
  });
});

describe('IdempotencyStore', () => {
  it('makes a duplicate wait for the request in flight and replays its answer', async () => {
    const store = new IdempotencyStore();
    let release!: () => void;
    let runs = 0;
    const execute = async () => {
      runs++;
      await new Promise<void>((r) => (release = r));
      return { status: 200 as const, body: { id: 'auth_1' } };
    };
    const first = store.run('k', 'fp', execute);
    const second = store.run('k', 'fp', execute);
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect(await first).toEqual({ kind: 'fresh', result: { status: 200, body: { id: 'auth_1' } } });
    expect(await second).toEqual({ kind: 'replayed', response: { status: 200, body: { id: 'auth_1' } } });
    expect(runs).toBe(1);
  });

  it('lets a waiting duplicate try again when the first ended without a kept answer', async () => {
    const store = new IdempotencyStore();
    let release!: () => void;
    const statuses = [503, 200] as const;
    let runs = 0;
    const execute = async () => {
      const status = statuses[runs++]!;
      if (status === 503) await new Promise<void>((r) => (release = r));
      return { status, body: {} };
    };
    const first = store.run('k', 'fp', execute);
    const second = store.run('k', 'fp', execute);
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect((await first).kind).toBe('fresh');
    expect(await second).toEqual({ kind: 'fresh', result: { status: 200, body: {} } });
    expect(runs).toBe(2);
  });

  it('answers conflict to a duplicate with another fingerprint while the first is in flight', async () => {
    const store = new IdempotencyStore();
    let release!: () => void;
    const first = store.run('k', 'a', () => new Promise<{ status: 200; body: object }>((r) => (release = () => r({ status: 200, body: {} }))));
    expect(await store.run('k', 'b', () => ({ status: 200, body: {} }))).toEqual({ kind: 'conflict' });
    release();
    await first;
  });
});

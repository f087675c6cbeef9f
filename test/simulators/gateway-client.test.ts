import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type Authorization } from '../../src/payments/gateway-client.ts';
import { createFraudClient } from '../../src/fraud/client.ts';
import { TransientHttpError } from '../../src/platform/http/client.ts';
import { startSimulators, type LedgerEntry, type RunningSimulators } from '../../src/roles/simulators.ts';

let simulators: RunningSimulators;
beforeAll(async () => {
  simulators = await startSimulators({ host: '127.0.0.1', fraudPort: 0, gatewayPorts: { primary: 0, secondary: 0 }, latencyMs: 0, failureRate: 0, hangMs: 1_000 });
});
afterAll(() => simulators.close());

const ledgerOf = async (checkoutId: string): Promise<LedgerEntry[]> =>
  ((await (await fetch(`${simulators.urls.gateways.primary}/_ledger?checkoutId=${checkoutId}`)).json()) as { entries: LedgerEntry[] }).entries;

function ok<T>(outcome: { kind: 'ok'; value: T } | { kind: 'refused'; code: string }): T {
  if (outcome.kind !== 'ok') throw new Error(`refused: ${outcome.code}`);
  return outcome.value;
}

describe('the real clients against the started simulators', () => {
  it('authorizes, captures, refunds and voids', async () => {
    const gateway = createGatewayClient(simulators.urls.gateways.primary, { timeoutMs: 2_000 });
    const auth = ok(await gateway.authorize({ checkoutId: 'chk_c1', amount: 3998, currency: 'USD', token: 'tok_visa' }, 'chk_c1:authorize'));
    expect(auth).toMatchObject({ status: 'authorized', amount: 3998, currency: 'USD' });
    const capture = ok(await gateway.capture({ authorizationId: auth.id, amount: 3998 }, 'chk_c1:capture'));
    expect(capture).toMatchObject({ authorizationId: auth.id, amount: 3998, status: 'captured' });
    const refund = ok(await gateway.refund({ captureId: capture.id, amount: 3998 }, 'chk_c1:refund'));
    expect(refund).toMatchObject({ captureId: capture.id, amount: 3998, status: 'refunded' });

    const other = ok(await gateway.authorize({ checkoutId: 'chk_c2', amount: 500, currency: 'USD', token: 'tok_visa' }, 'chk_c2:authorize'));
    expect(ok(await gateway.void({ authorizationId: other.id }, 'chk_c2:void'))).toMatchObject({ authorizationId: other.id, status: 'voided' });

    expect((await ledgerOf('chk_c1')).map((e) => e.kind)).toEqual(['authorization', 'capture', 'refund']);
    expect((await ledgerOf('chk_c2')).map((e) => e.kind)).toEqual(['authorization', 'void']);
  });

  it('gets refusals as typed results', async () => {
    const gateway = createGatewayClient(simulators.urls.gateways.primary, { timeoutMs: 2_000 });
    const outcome = await gateway.authorize({ checkoutId: 'chk_c3', amount: 500, currency: 'USD', token: 'tok_chargeDeclined' }, 'chk_c3:authorize');
    expect(outcome).toEqual({ kind: 'refused', code: 'card_declined', message: expect.any(String) });
  });

  it('charges once when the first authorization times out after the charge', async () => {
    const gateway = createGatewayClient(simulators.urls.gateways.primary, { timeoutMs: 200 });
    const input = { checkoutId: 'chk_c4', amount: 1200, currency: 'USD', token: 'tok_timeoutAfterCharge' };
    await expect(gateway.authorize(input, 'chk_c4:authorize')).rejects.toBeInstanceOf(TransientHttpError);
    const retried: Authorization = ok(await gateway.authorize(input, 'chk_c4:authorize'));
    const entries = await ledgerOf('chk_c4');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'authorization', id: retried.id, idempotencyKey: 'chk_c4:authorize' });
  });

  it('fails over: tok_primaryDown is transient on the primary and authorizes on the secondary', async () => {
    const input = { checkoutId: 'chk_c5', amount: 700, currency: 'USD', token: 'tok_primaryDown' };
    const primary = createGatewayClient(simulators.urls.gateways.primary, { timeoutMs: 2_000 });
    const secondary = createGatewayClient(simulators.urls.gateways.secondary, { timeoutMs: 2_000 });
    await expect(primary.authorize(input, 'chk_c5:authorize')).rejects.toBeInstanceOf(TransientHttpError);
    expect(ok(await secondary.authorize(input, 'chk_c5:authorize')).status).toBe('authorized');
  });

  it('scores with the fraud client', async () => {
    const fraud = createFraudClient(simulators.urls.fraud, { timeoutMs: 2_000 });
    const result = await fraud.score({ checkoutId: 'chk_c6', customerId: 'cus_1', email: 'ada@example.com', amount: 3998, currency: 'USD', paymentToken: 'tok_riskHighest', itemCount: 2 });
    expect(result.score).toBeGreaterThanOrEqual(85);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../src/roles/simulators.ts';
import { GATEWAYS } from '../../src/payments/gateways.ts';

const options = { host: '127.0.0.1', fraudPort: 0, gatewayPorts: { primary: 0, secondary: 0 }, latencyMs: 0, failureRate: 0, hangMs: 0 };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function start(overrides: Partial<typeof options> = {}): Promise<RunningSimulators> {
  const running = await startSimulators({ ...options, ...overrides });
  cleanups.push(() => running.close());
  return running;
}

async function occupyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('startSimulators', () => {
  it('starts the fraud service and every gateway on free ports and reports their real URLs', async () => {
    const { urls } = await start();
    const all = [urls.fraud, ...Object.values(urls.gateways)];
    expect(all.every((u) => /^http:\/\/127\.0\.0\.1:\d+$/.test(u) && !u.endsWith(':0'))).toBe(true);
    expect(new Set(all).size).toBe(1 + GATEWAYS.length);
    expect(await (await fetch(`${urls.fraud}/healthz`)).json()).toEqual({ ok: true, name: 'fraud' });
    expect(await (await fetch(`${urls.gateways.primary}/healthz`)).json()).toEqual({ ok: true, name: 'primary' });
    expect(await (await fetch(`${urls.gateways.secondary}/healthz`)).json()).toEqual({ ok: true, name: 'secondary' });
  });

  it('names the busy port and the setting to change, and leaves nothing listening', async () => {
    const busy = await occupyPort();
    const fraudPort = await freePort();
    await expect(startSimulators({ ...options, fraudPort, gatewayPorts: { primary: busy, secondary: 0 } })).rejects.toThrow(
      `port ${busy} (primary gateway) is already in use; set PRIMARY_GATEWAY_URL to a free port or stop the other process`,
    );
    // The fraud service had started; it must have been closed again.
    const again = await start({ fraudPort });
    expect(again.urls.fraud).toBe(`http://127.0.0.1:${fraudPort}`);
  });

  it('names every busy port when several are taken', async () => {
    const busy = await occupyPort();
    const error = await startSimulators({ ...options, fraudPort: busy, gatewayPorts: { primary: 0, secondary: busy } }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('FRAUD_URL');
    expect((error as Error).message).toContain('SECONDARY_GATEWAY_URL');
  });

  it('closes promptly with a keep-alive connection open and a response held', async () => {
    const running = await startSimulators({ ...options, hangMs: 30_000 });
    await fetch(`${running.urls.gateways.primary}/healthz`, { headers: { connection: 'keep-alive' } });
    const held = fetch(`${running.urls.gateways.primary}/v1/authorizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
      body: JSON.stringify({ checkoutId: 'chk_1', amount: 100, currency: 'USD', token: 'tok_timeoutAfterCharge' }),
    }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await running.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await held).toBeInstanceOf(Error);
    await running.close();
  });
});

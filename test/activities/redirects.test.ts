/**
 * Outbound calls never follow a redirect: a gateway (or an SMS or push provider) answering 307 would make the
 * client send the same body — a card token, a phone number — to wherever the redirect points.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../src/payments/gateway-client.ts';
import { sendThroughProvider } from '../../src/notifications/providers.ts';

let elsewhere: Server;
let redirecting: Server;
const reachedElsewhere: string[] = [];
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    reachedElsewhere.push(`${req.method} ${req.url}`);
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"auth_x","status":"authorized","amount":1,"currency":"USD"}');
  });
  redirecting = createServer((req, res) => res.writeHead(307, { location: `${urlOf(elsewhere)}${req.url}` }).end());
  await Promise.all([elsewhere, redirecting].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
});
afterAll(async () => {
  await Promise.all([elsewhere, redirecting].map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('a 307 from the service called', () => {
  it('is not followed by the gateway client, which counts the outcome unknown', async () => {
    const gateway = createGatewayClient(urlOf(redirecting), { timeoutMs: 2_000 });
    const answer = gateway.authorize({ checkoutId: 'chk_1', amount: 100, currency: 'USD', token: 'tok_visa' }, 'chk_1:authorize');
    // An answer outside the protocol: the payment activity types it gateway_outcome_unknown (it may have acted).
    await expect(answer).rejects.toMatchObject({ name: 'ProtocolError', message: expect.stringContaining('HTTP 307') });
    expect(reachedElsewhere).toEqual([]);
  });

  it('is not followed by the SMS and push providers’ client', async () => {
    const answer = await sendThroughProvider(urlOf(redirecting), { to: '+15550100', text: 'hello', key: 'evt_1:sms' }, 2_000);
    expect(answer).toMatchObject({ result: 'unavailable', error: 'HTTP 307 error' });
    expect(reachedElsewhere).toEqual([]);
  });
});

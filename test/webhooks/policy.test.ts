/** What a webhook endpoint may be, how its deliveries are signed, retried and rotated: the pure parts. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeyring } from '../../harness/payload-keys.ts';
import { retryPause } from '../../src/webhooks/deliveries.ts';
import { sealSecret, signingSecrets, newSecret } from '../../src/webhooks/secrets.ts';
import { postWebhook } from '../../src/webhooks/sender.ts';
import { signedHeaders } from '../../src/webhooks/signing.ts';
import { endpointUrlProblem, isReservedAddress } from '../../src/webhooks/url-policy.ts';

describe('endpoint URLs', () => {
  it.each([
    ['http://shop.example.com/hook', 'must use https'],
    ['https://user:pw@shop.example.com/hook', 'must not carry credentials'],
    ['https://127.0.0.1/hook', 'must not point at a private, loopback or reserved address (127.0.0.1)'],
    ['https://10.1.2.3/hook', 'must not point at a private, loopback or reserved address (10.1.2.3)'],
    ['https://169.254.169.254/latest/meta-data', 'must not point at a private, loopback or reserved address (169.254.169.254)'],
    ['https://[::1]/hook', 'must not point at a private, loopback or reserved address (::1)'],
    ['https://[::ffff:192.168.0.1]/hook', 'must not point at a private, loopback or reserved address (::ffff:c0a8:1)'],
    ['https://localhost:8443/hook', 'must not point at a local name (localhost)'],
    ['https://metadata.google.internal/', 'must not point at a local name (metadata.google.internal)'],
    ['not a url', 'must be an absolute URL'],
  ])('refuses %s in production: %s', (url, problem) => {
    expect(endpointUrlProblem(url, { allowPrivate: false })).toBe(problem);
  });

  it('takes a public https URL, and a local one only where private addresses are allowed', () => {
    expect(endpointUrlProblem('https://shop.example.com/webhooks?x=1', { allowPrivate: false })).toBeNull();
    expect(endpointUrlProblem('https://93.184.216.34/hook', { allowPrivate: false })).toBeNull();
    expect(endpointUrlProblem('http://127.0.0.1:4000/hook', { allowPrivate: true })).toBeNull();
  });

  it('knows the reserved ranges, IPv4 inside IPv6 too', () => {
    for (const address of ['0.0.0.0', '100.64.0.1', '172.31.255.255', '192.168.1.1', '198.18.0.1', '224.0.0.1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect(isReservedAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '172.32.0.1', '2606:4700::1111']) expect(isReservedAddress(address), address).toBe(false);
  });
});

describe('delivery attempts', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/drip') {
        // An answer a byte at a time, each within the idle timeout: only the attempt's deadline ends it.
        res.writeHead(200);
        const timer = setInterval(() => res.write('.'), 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (req.url === '/big') return void res.writeHead(200).end('x'.repeat(64 * 1024));
      res.writeHead(req.url === '/redirect' ? 302 : 204, req.url === '/redirect' ? { location: 'http://169.254.169.254/' } : {}).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to a loopback receiver only where private addresses are allowed, and follows no redirect', async () => {
    const options = { timeoutMs: 2_000 };
    expect(await postWebhook(`${url}/hook`, {}, '{}', { ...options, allowPrivate: true })).toEqual({ ok: true, status: 204 });
    const localhost = url.replace('127.0.0.1', 'localhost');
    expect(await postWebhook(`${localhost}/hook`, {}, '{}', { ...options, allowPrivate: false })).toMatchObject({ ok: false, status: null, error: expect.stringContaining('a private or reserved address') });
    expect(await postWebhook(`${url}/redirect`, {}, '{}', { ...options, allowPrivate: true })).toEqual({ ok: false, status: 302, error: 'answered 302' });
  });

  it('takes a long 2xx answer as delivered, reading only its first few KiB', async () => {
    expect(await postWebhook(`${url}/big`, {}, '{}', { timeoutMs: 2_000, allowPrivate: true })).toEqual({ ok: true, status: 200 });
  });

  it('ends an attempt at its deadline even when the receiver keeps trickling an answer', async () => {
    const started = Date.now();
    const result = await postWebhook(`${url}/drip`, {}, '{}', { timeoutMs: 400, allowPrivate: true });
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('signing', () => {
  it('signs so a Standard Webhooks receiver verifies with the secret, and with either secret during a rotation', () => {
    const keyring = testKeyring();
    const now = new Date();
    const [old, next] = [newSecret(), newSecret()];
    expect(old).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const stored = [sealSecret(old, 'we_1', keyring, now, new Date(now.getTime() + 60_000)), sealSecret(next, 'we_1', keyring, now)];
    const body = JSON.stringify({ type: 'checkout.completed', data: { checkoutId: 'chk_1' } });
    const headers = signedHeaders(signingSecrets(stored, 'we_1', keyring, now), 'msg_1', now, body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [old, next]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(next).verify(body.replace('chk_1', 'chk_2'), headers)).toThrow();

    // Once the overlap ends, the old secret no longer signs.
    const later = new Date(now.getTime() + 120_000);
    expect(signingSecrets(stored, 'we_1', keyring, later)).toEqual([next]);
    // A secret copied to another endpoint's row does not open.
    expect(() => signingSecrets(stored, 'we_2', keyring, now)).toThrow(/does not open/);
  });
});

describe('the retry schedule', () => {
  it('pauses as scheduled within 20 % jitter, and ends when the schedule is spent', () => {
    const schedule = [5_000, 300_000];
    expect(retryPause(schedule, 1, () => 0.5)).toBe(5_000);
    expect(retryPause(schedule, 1, () => 0)).toBe(4_000);
    expect(retryPause(schedule, 2, () => 1)).toBe(360_000);
    expect(retryPause(schedule, 3)).toBeNull();
  });
});

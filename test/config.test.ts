import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_KEYS, hashApiKey, loadConfig } from '../src/config.ts';
import { generatePayloadKey } from '../src/codec/payload-keys.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults: its own Temporal, NATS and PGlite, and the development keys', () => {
    const config = loadConfig({});
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', managed: true, taskQueue: 'checkout', uiPort: 8233 });
    expect(config.nats).toEqual({ url: null, port: 4223 });
    expect(config.database.url).toBeNull();
    expect(config.checkout.reviewTimeoutMs).toBe(24 * 3_600_000);
    expect(config.auth.merchantKeyHashes).toContain(hashApiKey(DEV_KEYS.merchant));
    expect(config.auth.operatorKeyHashes).toContain(hashApiKey(DEV_KEYS.operator));
  });

  it('uses a given Temporal address instead of starting a server', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }).temporal).toMatchObject({ address: 'temporal:7233', managed: false });
  });

  it('parses durations', () => {
    expect(loadConfig({ REVIEW_TIMEOUT: '2s', GATEWAY_TIMEOUT: '750ms' })).toMatchObject({ checkout: { reviewTimeoutMs: 2_000 }, services: { gatewayTimeoutMs: 750 } });
  });

  it('names every bad variable at once', () => {
    const error = (() => {
      try {
        loadConfig({ API_PORT: '99999', DATABASE_URL: 'mysql://x', NATS_URL: 'not a url' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/API_PORT="99999"/);
    expect(error!.message).toMatch(/DATABASE_URL="mysql:\/\/x": .*postgres/);
    expect(error!.message).toMatch(/NATS_URL="not a url"/);
  });

  const liveKeys = generatePayloadKey('2026-06');

  it('accepts no development key in production, and refuses to start there without configured keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MERCHANT_KEY_HASHES and OPERATOR_KEY_HASHES are both empty/);
    const hash = hashApiKey('live_key');
    const config = loadConfig({ NODE_ENV: 'production', MERCHANT_KEY_HASHES: hash, PUBLIC_URL: 'https://pay.example.com', PAYLOAD_KEYS: liveKeys });
    expect(config.auth).toEqual({ merchantKeyHashes: [hash], operatorKeyHashes: [], devKeys: false });
  });

  it('requires PUBLIC_URL in production, and defaults it to the listening address elsewhere', () => {
    const hash = hashApiKey('live_key');
    expect(() => loadConfig({ NODE_ENV: 'production', MERCHANT_KEY_HASHES: hash })).toThrow('PUBLIC_URL is required in production');
    expect(loadConfig({ API_HOST: '127.0.0.1', API_PORT: '3100' }).api.publicUrl).toBe('http://127.0.0.1:3100');
  });

  it('requires payload keys in production, picks the active one, and never prints key material', () => {
    const base = { NODE_ENV: 'production', MERCHANT_KEY_HASHES: hashApiKey('live_key'), PUBLIC_URL: 'https://pay.example.com' } as const;
    expect(() => loadConfig(base)).toThrow(/PAYLOAD_KEYS is required in production/);
    const rotated = `${generatePayloadKey('2026-12')},${liveKeys}`;
    expect(loadConfig({ ...base, PAYLOAD_KEYS: rotated }).payloads.keyring?.activeKeyId).toBe('2026-12');
    expect(loadConfig({ ...base, PAYLOAD_KEYS: rotated, PAYLOAD_KEY_ID: '2026-06' }).payloads.keyring?.activeKeyId).toBe('2026-06');
    expect(() => loadConfig({ ...base, PAYLOAD_KEYS: rotated, PAYLOAD_KEY_ID: '2025-01' })).toThrow('PAYLOAD_KEY_ID="2025-01": must be one of the ids in PAYLOAD_KEYS (2026-12, 2026-06)');
    const badKey = 'k1:dG9vIHNob3J0';
    const message = (() => {
      try {
        loadConfig({ PAYLOAD_KEYS: badKey });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('PAYLOAD_KEYS=<hidden>: key "k1" must be 32 bytes');
    expect(message).not.toContain('dG9vIHNob3J0');
    expect(loadConfig({}).payloads.keyring).toBeNull();
  });

  it('masks the password of a URL it refuses', () => {
    expect(() => loadConfig({ NATS_URL: 'http://user:s3cret@nats.internal:4222' })).toThrow(/NATS_URL="http:\/\/user:\*\*\*@nats.internal:4222"/);
    expect(() => loadConfig({ NATS_URL: 'http://user:s3cret@nats.internal:4222' })).not.toThrow(/s3cret/);
  });

  it('rejects key hashes that are not SHA-256 digests, so plaintext keys never sit in configuration', () => {
    expect(() => loadConfig({ MERCHANT_KEY_HASHES: 'live_key' })).toThrow(/SHA-256 hex digest/);
  });

  it('requires the gateway timeout to end before Temporal times the payment attempt out', () => {
    expect(() => loadConfig({ GATEWAY_TIMEOUT: '10s', SIMULATOR_HANG: '20s' })).toThrow(
      'GATEWAY_TIMEOUT (10000 ms) must be shorter than a payment step\'s start-to-close timeout (10000 ms)',
    );
    expect(loadConfig({ GATEWAY_TIMEOUT: '9s', SIMULATOR_HANG: '20s' }).services.gatewayTimeoutMs).toBe(9_000);
  });

  it('requires the simulated hang to outlast the gateway timeout', () => {
    expect(() => loadConfig({ SIMULATOR_HANG: '1s', GATEWAY_TIMEOUT: '3s' })).toThrow(/SIMULATOR_HANG/);
  });
});

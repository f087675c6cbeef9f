import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_KEYS, DEV_MERCHANT_ID, hashApiKey, loadConfig } from '../src/config/index.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { generatePayloadKey } from '../src/platform/codec/payload-keys.ts';
import { natsTargetOf } from '../src/roles/shared-deps.ts';
import { natsConnectOptions } from '../src/platform/nats/connection.ts';
import { temporalConnectOptions } from '../src/platform/temporal/connection.ts';
import { derivedId } from '../src/platform/ids.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults: its own Temporal, NATS and PGlite; the development keys only when enabled', () => {
    expect(loadConfig({}).auth).toEqual({ merchants: [], operators: [], devKeys: false });
    const config = loadConfig({ ENABLE_DEV_KEYS: 'true' });
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', managed: true, taskQueue: 'checkout', uiPort: 8233 });
    expect(config.nats).toEqual({ servers: null, port: 4223, auth: { kind: 'none' }, tls: null, streamReplicas: 1, eventSubjects: 'channel', contactsInClear: 'refuse' });
    // Legacy payloads and events are refused unless an upgrade's rollout asks for them.
    expect(config.payloads).toMatchObject({ plaintext: 'refuse', unbound: 'refuse' });
    expect(config.database.url).toBeNull();
    expect(config.checkout.reviewTimeoutMs).toBe(24 * 3_600_000);
    expect(config.auth.merchants).toEqual([{ id: DEV_MERCHANT_ID, keyHashes: [hashApiKey(DEV_KEYS.merchant)] }]);
    expect(config.auth.operators.map((o) => o.keyHashes)).toEqual([[hashApiKey(DEV_KEYS.operator)]]);
    expect(config.api.ops).toBeNull();
  });

  it('reads merchants with one or more keys each, so a rotated key keeps the merchant', () => {
    const [a1, a2, b1] = ['acme_old', 'acme_new', 'globex'].map(hashApiKey) as [string, string, string];
    const config = loadConfig({ MERCHANTS: ` mer_acme:${a1}, mer_globex:${b1},mer_acme:${a2} `, OPERATOR_KEY_HASHES: hashApiKey('ops') });
    expect(config.auth.merchants).toEqual([
      { id: 'mer_acme', keyHashes: [a1, a2] },
      { id: 'mer_globex', keyHashes: [b1] },
    ]);
  });

  it('reads named operators with one or more keys each, so a rotated key keeps its reviewedBy id; a bare digest is an operator of its own', () => {
    const [alice1, alice2, bob] = ['alice_old', 'alice_new', 'bob'].map(hashApiKey) as [string, string, string];
    const config = loadConfig({ OPERATOR_KEY_HASHES: `opr_alice:${alice1},${bob},opr_alice:${alice2}` });
    expect(config.auth.operators).toEqual([
      { id: 'opr_alice', keyHashes: [alice1, alice2] },
      { id: derivedId('opr', bob), keyHashes: [bob] },
    ]);
    expect(() => loadConfig({ OPERATOR_KEY_HASHES: `alice:${alice1}` })).toThrow(/must be <operatorId>:<sha256 hex> or a bare digest, the id like opr_alice/);
    expect(() => loadConfig({ OPERATOR_KEY_HASHES: `opr_alice:${alice1},opr_bob:${alice1}` })).toThrow(/listed for both opr_alice and opr_bob/);
  });

  it.each([
    ['a key instead of its digest', 'mer_acme:live_key', /MERCHANTS=.*: the key of mer_acme must be a SHA-256 hex digest/],
    ['an id without the mer_ prefix', `acme:${hashApiKey('k')}`, /must be <merchantId>:<sha256 hex>, the id like mer_acme/],
    ['no digest at all', 'mer_acme', /the key of mer_acme must be a SHA-256 hex digest/],
    ['one digest for two merchants', `mer_a:${hashApiKey('k')},mer_b:${hashApiKey('k')}`, /listed for both mer_a and mer_b/],
    ['one digest twice', `mer_a:${hashApiKey('k')},mer_a:${hashApiKey('k')}`, /listed twice for mer_a/],
  ])('refuses MERCHANTS with %s', (_name, value, message) => {
    expect(() => loadConfig({ MERCHANTS: value })).toThrow(message);
  });

  it('refuses a key that is both a merchant and an operator key, and the old MERCHANT_KEY_HASHES', () => {
    const hash = hashApiKey('k');
    expect(() => loadConfig({ MERCHANTS: `mer_a:${hash}`, OPERATOR_KEY_HASHES: hash })).toThrow(/also a merchant key in MERCHANTS; a key has one role/);
    expect(() => loadConfig({ MERCHANT_KEY_HASHES: hash })).toThrow(/MERCHANT_KEY_HASHES is replaced by MERCHANTS/);
  });

  it('serves /metrics and the detailed /readyz on OPS_PORT when set, never on the API port', () => {
    expect(loadConfig({ OPS_PORT: '9100' }).api.ops).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(loadConfig({ OPS_PORT: '9100', OPS_HOST: '10.0.0.5' }).api.ops).toEqual({ host: '10.0.0.5', port: 9100 });
    expect(() => loadConfig({ OPS_PORT: '3000' })).toThrow(/OPS_PORT=3000: must differ from API_PORT/);
    expect(() => loadConfig({ ENABLE_DEV_KEYS: 'yes' })).toThrow(/ENABLE_DEV_KEYS="yes"/);
  });

  it('keeps no workflow stack traces unless WORKFLOW_STACK_TRACES=true, which bundles at start and so refuses a prebuilt bundle', () => {
    expect(loadConfig({}).temporal.workflowStackTraces).toBe(false);
    expect(loadConfig({ WORKFLOW_STACK_TRACES: 'true' }).temporal.workflowStackTraces).toBe(true);
    const bundle = fileURLToPath(import.meta.url); // any readable file
    expect(() => loadConfig({ WORKFLOW_STACK_TRACES: 'true', WORKFLOW_BUNDLE_PATH: bundle })).toThrow(/WORKFLOW_STACK_TRACES=true needs the worker to bundle .* Fix: unset WORKFLOW_BUNDLE_PATH/);
  });

  it('runs an unversioned worker unless WORKER_BUILD_ID names its build in the worker deployment', () => {
    expect(loadConfig({}).temporal.workerVersion).toBeNull();
    expect(loadConfig({ WORKER_BUILD_ID: 'v2.3.0' }).temporal.workerVersion).toEqual({ deploymentName: 'durable-checkout', buildId: 'v2.3.0' });
    expect(loadConfig({ WORKER_BUILD_ID: 'abc123', WORKER_DEPLOYMENT_NAME: 'checkout-eu' }).temporal.workerVersion).toEqual({ deploymentName: 'checkout-eu', buildId: 'abc123' });
    expect(() => loadConfig({ WORKER_BUILD_ID: 'v2 final' })).toThrow(/WORKER_BUILD_ID.*a build id is 1–64 letters, digits, dots, dashes or underscores/);
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
  const digest = hashApiKey('live_key');
  const FINGERPRINT_KEY = 'k5bQ0sW1cX7nF2hJ9tR4yU6iO8pA3dZ1';

  it('accepts no development key in production, and refuses to start there without configured keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MERCHANTS and OPERATOR_KEY_HASHES are both empty/);
    const hash = hashApiKey('live_key');
    const live = { NODE_ENV: 'production', MERCHANTS: `mer_live:${hash}`, PUBLIC_URL: 'https://pay.example.com', PAYLOAD_KEYS: liveKeys, OPS_PORT: '9100', FRAUD_FINGERPRINT_KEY: FINGERPRINT_KEY };
    expect(loadConfig(live).auth).toEqual({ merchants: [{ id: 'mer_live', keyHashes: [hash] }], operators: [], devKeys: false });
    expect(() => loadConfig({ ...live, ENABLE_DEV_KEYS: 'true' })).toThrow(/ENABLE_DEV_KEYS=true is refused in production/);
  });

  it('requires PUBLIC_URL in production, and defaults it to the listening address elsewhere', () => {
    const hash = hashApiKey('live_key');
    expect(() => loadConfig({ NODE_ENV: 'production', MERCHANTS: `mer_live:${hash}` })).toThrow('PUBLIC_URL is required in production');
    expect(loadConfig({ API_HOST: '127.0.0.1', API_PORT: '3100' }).api.publicUrl).toBe('http://127.0.0.1:3100');
  });

  it('requires payload keys in production, picks the active one, and never prints key material', () => {
    const base = { NODE_ENV: 'production', MERCHANTS: `mer_live:${hashApiKey('live_key')}`, PUBLIC_URL: 'https://pay.example.com', OPS_PORT: '9100', FRAUD_FINGERPRINT_KEY: FINGERPRINT_KEY } as const;
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

  /** The message of the ConfigError loadConfig throws for `env`. */
  const configErrorOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error('the configuration was accepted');
  };

  it('never echoes a key pasted where its digest belongs, in any position of MERCHANTS or OPERATOR_KEY_HASHES', () => {
    const raw = 'sk_live_4f9a8b7c6d5e4f3a2b1c';
    for (const [name, value] of [
      ['MERCHANTS', raw],
      ['MERCHANTS', `mer_acme:${raw}`],
      ['MERCHANTS', `mer_acme:${digest},${raw}:${raw}`],
      ['OPERATOR_KEY_HASHES', `opr_ops:${raw}`],
      ['OPERATOR_KEY_HASHES', `${raw}:${digest}`],
    ] as const) {
      const message = configErrorOf({ [name]: value });
      expect(message, `${name}=${value}`).toContain(`${name}=<hidden>`);
      expect(message, `${name}=${value}`).not.toContain('sk_live');
    }
    // What is wrong is still said: which entry, and what it should be.
    expect(configErrorOf({ MERCHANTS: `mer_acme:${raw}` })).toMatch(/the key of mer_acme must be a SHA-256 hex digest/);
    expect(configErrorOf({ MERCHANTS: `mer_acme:${digest},${raw}` })).toMatch(/entry 2 must be <merchantId>:<sha256 hex>/);
  });

  it('masks a URL password that holds "/", "," or "@"', () => {
    for (const password of ['pa/ss', 'pa,ss', 'p@ss', 'a/b,c@d']) {
      const message = configErrorOf({ DATABASE_URL: `mysql://app:${password}@db.internal:5432/checkout` });
      expect(message, password).toContain('DATABASE_URL="mysql://app:***@db.internal:5432/checkout"');
      expect(message, password).not.toContain(password);
    }
  });

  it('requires OPS_PORT in production, so /metrics and the detailed /readyz are never on the public port', () => {
    const live = { NODE_ENV: 'production', MERCHANTS: `mer_live:${digest}`, PUBLIC_URL: 'https://pay.example.com', PAYLOAD_KEYS: liveKeys, FRAUD_FINGERPRINT_KEY: FINGERPRINT_KEY };
    expect(configErrorOf(live)).toMatch(/OPS_PORT is required in production/);
    expect(loadConfig({ ...live, OPS_PORT: '9100' }).api.ops).toEqual({ host: '127.0.0.1', port: 9100 });
  });

  it('requires a secret fingerprint key in production, and never prints it', () => {
    const live = { NODE_ENV: 'production', MERCHANTS: `mer_live:${digest}`, PUBLIC_URL: 'https://pay.example.com', PAYLOAD_KEYS: liveKeys, OPS_PORT: '9100' };
    expect(configErrorOf(live)).toMatch(/FRAUD_FINGERPRINT_KEY is required in production/);
    expect(loadConfig({ ...live, FRAUD_FINGERPRINT_KEY: FINGERPRINT_KEY }).services.fraudFingerprintKey).toBe(FINGERPRINT_KEY);
    const short = configErrorOf({ FRAUD_FINGERPRINT_KEY: 'short-secret' });
    expect(short).toContain('FRAUD_FINGERPRINT_KEY=<hidden>: must be at least 32 characters');
    expect(short).not.toContain('short-secret');
  });

  it('rejects key hashes that are not SHA-256 digests, so plaintext keys never sit in configuration', () => {
    expect(() => loadConfig({ OPERATOR_KEY_HASHES: 'live_key' })).toThrow(/SHA-256 hex digest/);
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

  describe('connections fit for a deployment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-files-'));
    const file = (name: string) => {
      const at = path.join(dir, name);
      writeFileSync(at, `${name}\n`);
      return at;
    };
    const [ca, cert, key, creds] = ['ca.pem', 'client.pem', 'client.key', 'svc.creds'].map(file) as [string, string, string, string];
    const temporal = { TEMPORAL_ADDRESS: 'ns.a1b2c.tmprl.cloud:7233' };

    it('connects to Temporal in plaintext by default, over TLS with certificates or an API key', () => {
      expect(loadConfig(temporal).temporal).toMatchObject({ apiKey: null, tls: null });
      expect(loadConfig({ ...temporal, TEMPORAL_API_KEY: 'tk_live' }).temporal).toMatchObject({
        apiKey: 'tk_live',
        tls: { serverCaCertPath: null, clientCertPath: null, clientKeyPath: null, serverName: null },
      });
      const mtls = loadConfig({ ...temporal, TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key, TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' });
      expect(mtls.temporal.tls).toEqual({ serverCaCertPath: ca, clientCertPath: cert, clientKeyPath: key, serverName: 'temporal.internal' });
      expect(temporalConnectOptions(mtls.temporal)).toEqual({
        address: 'ns.a1b2c.tmprl.cloud:7233',
        tls: {
          serverNameOverride: 'temporal.internal',
          serverRootCACertificate: Buffer.from('ca.pem\n'),
          clientCertPair: { crt: Buffer.from('client.pem\n'), key: Buffer.from('client.key\n') },
        },
      });
      expect(loadConfig({ ...temporal, TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).temporal.tls).toBeNull();
    });

    it.each([
      [{ ...temporal, TEMPORAL_TLS_CLIENT_CERT_PATH: cert }, /TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together/],
      [{ ...temporal, TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem' }, /TEMPORAL_TLS_SERVER_CA_CERT_PATH="\/nonexistent\/ca.pem": no such file/],
      [{ ...temporal, TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca }, /TEMPORAL_TLS=false, but TLS certificates/],
      [{ TEMPORAL_API_KEY: 'k' }, /needs TEMPORAL_ADDRESS: the local dev server/],
    ])('refuses an inconsistent Temporal connection (%#)', (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });

    it('hides the Temporal API key and NATS secrets in errors', () => {
      const shown = (() => {
        try {
          loadConfig({ TEMPORAL_API_KEY: 'tk_live_secret', NATS_PASSWORD: 'np_secret', NATS_TOKEN: 'nt_secret', API_PORT: 'x' });
        } catch (e) {
          return (e as Error).message;
        }
        return '';
      })();
      expect(shown).toContain('API_PORT');
      for (const secret of ['tk_live_secret', 'np_secret', 'nt_secret']) expect(shown).not.toContain(secret);
    });

    it('reads a list of NATS servers, one way to authenticate, and TLS files', () => {
      const nats = { NATS_URL: 'tls://n1.internal:4222, tls://n2.internal:4222,nats://n3.internal:4222' };
      expect(loadConfig(nats).nats).toMatchObject({
        servers: ['tls://n1.internal:4222', 'tls://n2.internal:4222', 'nats://n3.internal:4222'],
        auth: { kind: 'none' },
        tls: { caFile: null, certFile: null, keyFile: null },
      });
      expect(loadConfig({ NATS_URL: 'nats://n1:4222' }).nats.tls).toBeNull();
      expect(loadConfig({ ...nats, NATS_CREDS_FILE: creds }).nats.auth).toEqual({ kind: 'credentials', file: creds });
      expect(loadConfig({ ...nats, NATS_TOKEN: 't0k' }).nats.auth).toEqual({ kind: 'token', token: 't0k' });
      expect(loadConfig({ ...nats, NATS_TLS_CA_FILE: ca, NATS_TLS_CERT_FILE: cert, NATS_TLS_KEY_FILE: key }).nats.tls).toEqual({ caFile: ca, certFile: cert, keyFile: key });
      const options = natsConnectOptions(natsTargetOf(loadConfig({ ...nats, NATS_USER: 'svc', NATS_PASSWORD: 'pw', NATS_TLS_CA_FILE: ca })), 'x');
      expect(options).toMatchObject({ servers: ['tls://n1.internal:4222', 'tls://n2.internal:4222', 'nats://n3.internal:4222'], user: 'svc', pass: 'pw', tls: { caFile: ca } });
    });

    it('publishes on the subjects with the channel unless EVENT_SUBJECTS=type asks for the ones before it', () => {
      expect(loadConfig({ EVENT_SUBJECTS: 'type' }).nats.eventSubjects).toBe('type');
      expect(loadConfig({ EVENT_SUBJECTS: 'channel' }).nats.eventSubjects).toBe('channel');
      expect(() => loadConfig({ EVENT_SUBJECTS: 'subject' })).toThrow(/EVENT_SUBJECTS/);
    });

    it.each([
      [{ NATS_URL: 'nats://n1:4222', NATS_TOKEN: 't', NATS_CREDS_FILE: creds }, /set one way to authenticate, not NATS_CREDS_FILE and NATS_TOKEN/],
      [{ NATS_URL: 'nats://n1:4222', NATS_USER: 'svc' }, /NATS_USER and NATS_PASSWORD go together/],
      [{ NATS_URL: 'nats://n1:4222', NATS_TLS_CERT_FILE: cert }, /NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together/],
      [{ NATS_URL: 'nats://n1:4222', NATS_CREDS_FILE: '/nonexistent/svc.creds' }, /NATS_CREDS_FILE="\/nonexistent\/svc.creds": no such file/],
      [{ NATS_URL: 'nats://n1:4222,http://n2:4222' }, /NATS_URL=.*must start with nats:\/\/ or tls:\/\//],
      [{ NATS_URL: ' , ' }, /NATS_URL=.*must list at least one server/],
      [{ NATS_TOKEN: 't' }, /NATS credentials or TLS need NATS_URL/],
    ])('refuses an inconsistent NATS connection (%#)', (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });
  });
});

describe('Temporal configuration profiles (TOML, as the temporal CLI and the SDKs read them)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'temporal-profile-'));
  const ca = path.join(dir, 'ca.pem');
  writeFileSync(ca, 'not checked here');
  const file = path.join(dir, 'temporal.toml');
  writeFileSync(
    file,
    [
      '[profile.default]',
      'address = "127.0.0.1:7233"',
      '',
      '[profile.prod]',
      'address = "payments.tmprl.example:7233"',
      'namespace = "payments.acct"',
      'api_key = "profile-api-key"',
      '[profile.prod.tls]',
      `server_ca_cert_path = "${ca}"`,
      'server_name = "payments.tmprl.example"',
      '',
      '[profile.inline]',
      'address = "a.example:7233"',
      '[profile.inline.tls]',
      'server_ca_cert_data = "-----BEGIN CERTIFICATE-----"',
      '',
      '[profile.broken]',
      'address = "no port here"',
    ].join('\n'),
  );

  it("fills in the connection from the chosen profile, the environment's own variables first", () => {
    const config = loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    expect(config.temporal).toMatchObject({ address: 'payments.tmprl.example:7233', namespace: 'payments.acct', apiKey: 'profile-api-key', managed: false });
    expect(config.temporal.tls).toEqual({ serverCaCertPath: ca, clientCertPath: null, clientKeyPath: null, serverName: 'payments.tmprl.example' });
    expect(loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'staging' }).temporal.namespace).toBe('staging');
    // Without TEMPORAL_PROFILE, the default profile.
    expect(loadConfig({ TEMPORAL_CONFIG_FILE: file }).temporal).toMatchObject({ address: '127.0.0.1:7233', managed: false });
  });

  it('refuses a profile it cannot use, naming the profile, the file and what is wrong', () => {
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' })).toThrow(new RegExp(`profile "nope" of ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*nope`));
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'inline' })).toThrow(/tls.server_ca_cert is given inline; .* give its path/);
    // A profile's value is checked as the variable it fills in is.
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'broken' })).toThrow(/TEMPORAL_ADDRESS="no port here": must be host:port/);
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: path.join(dir, 'missing.toml') })).toThrow(/TEMPORAL_CONFIG_FILE=.*missing.toml: no such file/);
  });
});

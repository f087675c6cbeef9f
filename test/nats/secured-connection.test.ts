/**
 * NATS as deployed: a server that speaks TLS only (a certificate from a private CA) and wants a user and
 * password. The service connects with what `src/config/index.ts` reads from NATS_URL, NATS_USER, NATS_PASSWORD and
 * NATS_TLS_CA_FILE, publishes an event and reads it back; a wrong password or an unknown CA fails with an error
 * naming the servers and never the password.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import type { RunningNats } from '../../src/local-stack/nats-server.ts';
import { natsTargetOf } from '../../src/roles/shared-deps.ts';
import { connectNats, NatsUnavailableError } from '../../src/platform/nats/connection.ts';
import { ensureCheckoutStream } from '../../src/platform/nats/provision.ts';
import { publishCheckoutEvent } from '../../src/platform/nats/publish.ts';
import { readStream } from '../../src/platform/nats/read-stream.ts';
import { sampleEvent, startTlsNatsServer, uniqueStreamNames } from './support.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';

const PASSWORD = 's3cret-nats-pass';
let dir: string;
let server: RunningNats;
let url: string;

/** A throwaway CA and a server certificate for 127.0.0.1 signed by it. */
function makeCertificates(at: string) {
  const file = (name: string) => path.join(at, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=durable-checkout test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '1', '-extfile', file('san.ext'));
  // A second CA the server's certificate does not chain to.
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('other.key'), '-out', file('other-ca.pem'), '-days', '1', '-subj', '/CN=some other CA');
  return { ca: file('ca.pem'), otherCa: file('other-ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

let certs: ReturnType<typeof makeCertificates>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nats-secured-'));
  certs = makeCertificates(dir);
  ({ server, url } = await startTlsNatsServer(dir, certs, [`authorization { user: checkout, password: ${JSON.stringify(PASSWORD)} }`]));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = (overrides: Record<string, string> = {}) => ({
  NATS_URL: `${url},tls://127.0.0.1:1`,
  NATS_USER: 'checkout',
  NATS_PASSWORD: PASSWORD,
  NATS_TLS_CA_FILE: certs.ca,
  ...overrides,
});

describe('NATS over TLS with a user and password', { timeout: 30_000 }, () => {
  it('connects with the configured settings, publishes and reads back an event', async () => {
    const config = loadConfig(env());
    expect(config.nats).toMatchObject({ servers: [url, 'tls://127.0.0.1:1'], auth: { kind: 'user', user: 'checkout' }, tls: { caFile: certs.ca } });
    const nc = await connectNats(natsTargetOf(config), 'secured-test');
    try {
      expect(nc.info?.tls_required).toBe(true);
      const names = uniqueStreamNames('secured');
      await ensureCheckoutStream(nc, names, { consumers: SERVICE_CONSUMERS });
      const event = sampleEvent();
      await publishCheckoutEvent(nc, names, event, testKeyring());
      const ids: string[] = [];
      for await (const message of readStream(nc, names.stream)) ids.push((message.json() as { id: string }).id);
      expect(ids).toEqual([event.id]);
    } finally {
      await nc.close();
    }
  });

  it('refuses a wrong password with an error that names the servers and not the password', async () => {
    // One server, so the error is the server's answer rather than the unreachable second one's.
    const config = loadConfig(env({ NATS_URL: url, NATS_PASSWORD: 'wrong-password-123' }));
    const error = await connectNats(natsTargetOf(config), 'secured-test').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(NatsUnavailableError);
    expect(error!.message).toContain(url);
    expect(error!.message).toMatch(/authorization|auth/i);
    expect(error!.message).not.toContain('wrong-password-123');
  });

  it('refuses a server whose certificate does not chain to the configured CA', async () => {
    const config = loadConfig(env({ NATS_URL: url, NATS_TLS_CA_FILE: certs.otherCa }));
    await expect(connectNats(natsTargetOf(config), 'secured-test')).rejects.toThrow(NatsUnavailableError);
  });
});

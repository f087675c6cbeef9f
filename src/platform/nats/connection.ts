/** Connects to NATS (one or more servers, with credentials and TLS as configured), failing fast with a message that names the servers and the fix. */
import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type ConnectionOptions, type NatsConnection } from 'nats';
import type { NatsAuth, NatsTls } from '../../config/index.ts';
import { hideUrlCredentials } from '../redact.ts';

export class NatsUnavailableError extends Error {
  override name = 'NatsUnavailableError';
}

/** Where and how to connect: the configured cluster, or (tests, the local stack) one plain URL. */
export interface NatsTarget {
  servers: string[];
  auth: NatsAuth;
  tls: NatsTls | null;
}

/**
 * Where a user's replies arrive (JetStream acknowledgements, pulled messages, API answers): `_INBOX.<user>`,
 * so that a server can let each user subscribe to its own replies only — with the shared `_INBOX.>`, any
 * user could read the events pulled by another (deploy/nats-accounts.conf). Null for a user name that is not
 * one subject token, which keeps the default prefix.
 */
export const userInboxPrefix = (user: string): string | null => (/^[A-Za-z0-9_-]+$/.test(user) ? `_INBOX.${user}` : null);

/** The nats.js options of a target; the credentials file is read at each (re)connect, so a rotated file is picked up. */
export function natsConnectOptions(target: NatsTarget, name: string): ConnectionOptions {
  const { auth, tls } = target;
  const inboxPrefix = auth.kind === 'user' ? userInboxPrefix(auth.user) : null;
  return {
    servers: target.servers,
    name,
    timeout: 5_000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    ...(auth.kind === 'user' ? { user: auth.user, pass: auth.password } : {}),
    ...(inboxPrefix ? { inboxPrefix } : {}),
    ...(auth.kind === 'token' ? { token: auth.token } : {}),
    ...(auth.kind === 'credentials' ? { authenticator: credsAuthenticator(() => readFileSync(auth.file)) } : {}),
    ...(tls ? { tls: { ...(tls.caFile && { caFile: tls.caFile }), ...(tls.certFile && { certFile: tls.certFile }), ...(tls.keyFile && { keyFile: tls.keyFile }) } } : {}),
  };
}

export async function connectNats(target: NatsTarget | string, name: string): Promise<NatsConnection> {
  const resolved: NatsTarget = typeof target === 'string' ? { servers: [target], auth: { kind: 'none' }, tls: null } : target;
  try {
    return await connect(natsConnectOptions(resolved, name));
  } catch (error) {
    const where = hideUrlCredentials(resolved.servers.join(', '));
    throw new NatsUnavailableError(
      `cannot reach NATS at ${where}: ${(error as Error).message}. Fix: start nats-server with JetStream (-js), or correct NATS_URL and its credentials or TLS settings.`,
    );
  }
}

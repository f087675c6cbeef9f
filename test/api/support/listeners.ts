/**
 * Every HTTP listener the service runs, built by the factory its role calls and with the arguments the role
 * derives from its configuration, over a test database: the codec server (src/roles/codec-role.ts), the API
 * role's operations port (src/roles/api-role.ts, OPS_PORT) and the subscribers' metrics port
 * (src/roles/subscriber-process.ts). The public API app itself is `buildTestApp` (./test-app.ts).
 */
import type { NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { createOperationsApp } from '../../../api/operations/app.ts';
import { operatorKeyCheckBudget } from '../../../api/middleware/operator-session.ts';
import { createCodecApp } from '../../../api/codec-server.ts';
import { displayCodec } from '../../../src/platform/codec/payload-codec.ts';
import type { DatabaseHandle } from '../../../src/platform/db/client.ts';
import { databaseSessionStore } from '../../../src/auth/operator-sessions.ts';
import { createLogger } from '../../../src/platform/logger.ts';
import { createSubscriberOperationsApp } from '../../../src/roles/subscriber-process.ts';
import { testKeyring } from '../../../harness/payload-keys.ts';
import { TEST_AUTH } from './test-app.ts';

/** The Temporal Web UI's origin the test codec server lets call it. */
export const WEB_UI_ORIGIN = 'http://127.0.0.1:8233';

/** The codec the test codec server decodes with (the test payload key); seal test payloads with it. */
export const testDisplayCodec = () => displayCodec(testKeyring());

/** The codec server as the codec role builds it: the configured operators' keys, sessions and key-check budgets in the database. */
export function buildTestCodecApp(database: DatabaseHandle, { secureCookie = false }: { secureCookie?: boolean } = {}) {
  return createCodecApp({
    codec: testDisplayCodec(),
    operatorKeyHashes: TEST_AUTH.operators.flatMap((o) => o.keyHashes),
    sessions: databaseSessionStore(database.db),
    keyChecks: operatorKeyCheckBudget(database.db),
    allowedOrigins: [WEB_UI_ORIGIN],
    secureCookie,
  });
}

/** The API role's operations port (OPS_PORT): its registry and readiness checks, here the database's. */
export function buildTestOperationsApp(database: DatabaseHandle) {
  return createOperationsApp({ registry: new Registry(), readiness: { database: () => database.ping() }, logger: createLogger({ level: 'silent' }) });
}

/** The subscribers' SUBSCRIBER_METRICS_PORT app, over a NATS connection that answers. */
export function buildTestSubscriberOperationsApp(database: DatabaseHandle) {
  const nc = { isClosed: () => false, flush: async () => undefined } as unknown as NatsConnection;
  return createSubscriberOperationsApp({ nc, logger: createLogger({ level: 'silent' }), registry: new Registry() }, database);
}

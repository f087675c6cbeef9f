/** The codec role: the codec server on CODEC_PORT, for the Web UI and the CLI to decode payloads (operators only). */
import { startApiServer, type RunningApiServer } from '../../api/server.ts';
import { createCodecApp } from '../../api/codec-server.ts';
import { displayCodec } from '../platform/codec/payload-codec.ts';
import { payloadKeyringOf } from '../platform/codec/payload-keys.ts';
import type { Config } from '../config/index.ts';
import type { Database } from '../platform/db/client.ts';
import { databaseSessionStore } from '../auth/operator-sessions.ts';
import { operatorKeyCheckBudget } from '../../api/middleware/operator-session.ts';
import type { Lifecycle } from './lifecycle.ts';

/** `db`: where operators' browser sessions are kept, shared with the dashboard's. */
export async function startCodecRole(config: Config, host: string, lifecycle: Lifecycle, db: Database): Promise<RunningApiServer> {
  const app = createCodecApp({
    codec: displayCodec(payloadKeyringOf(config)),
    operatorKeyHashes: config.auth.operators.flatMap((o) => o.keyHashes),
    sessions: databaseSessionStore(db),
    keyChecks: operatorKeyCheckBudget(db),
    allowedOrigins: config.codec.allowedOrigins,
    secureCookie: config.api.secureCookies,
  });
  const server = await startApiServer({ app, host, port: config.codec.port, setting: 'CODEC_PORT' });
  lifecycle.add('codec server', () => server.close({ graceMs: 1_000 }));
  return server;
}

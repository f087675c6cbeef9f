/** The codec role: the codec server on CODEC_PORT, for the Web UI and the CLI to decode payloads (operators only). */
import { startApiServer, type RunningApiServer } from '../../api/server.ts';
import { createCodecApp } from '../codec/codec-server.ts';
import { displayCodec } from '../codec/payload-codec.ts';
import { payloadKeyringOf } from '../codec/payload-keys.ts';
import type { Config } from '../config.ts';
import type { Lifecycle } from './lifecycle.ts';

export async function startCodecRole(config: Config, host: string, lifecycle: Lifecycle): Promise<RunningApiServer> {
  const app = createCodecApp({
    codec: displayCodec(payloadKeyringOf(config)),
    operatorKeyHashes: config.auth.operators.flatMap((o) => o.keyHashes),
    allowedOrigins: config.codec.allowedOrigins,
    secureCookie: config.api.publicUrl.startsWith('https://'),
  });
  const server = await startApiServer({ app, host, port: config.codec.port, setting: 'CODEC_PORT' });
  lifecycle.add('codec server', () => server.close({ graceMs: 1_000 }));
  return server;
}

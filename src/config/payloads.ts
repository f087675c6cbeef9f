/** The payloads section: the keys workflow payloads are encrypted with, what a process accepts from before, and the codec server. */
import { z } from 'zod';
import { parsePayloadKeys } from '../platform/codec/payload-keys.ts';
import type { PayloadKeyring, PlaintextPayloads, UnboundPayloads } from '../platform/codec/payload-codec.ts';
import { invalid, port, refusedUnlessAccepted, url } from './settings.ts';

const payloadKeys = z.string().transform((value, ctx) => {
  try {
    return parsePayloadKeys(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const payloadsSchema = z.object({
  PAYLOAD_KEYS: payloadKeys.optional().describe('payload encryption keys, `id:base64key,…` (32-byte keys: `openssl rand -base64 32`); required in production, else a development key generated into `DATA_DIR/payload-keys`'),
  PAYLOAD_KEY_ID: z.string().min(1).optional().describe('the key new payloads are encrypted with; unset: the first of `PAYLOAD_KEYS`'),
  PAYLOADS_PLAINTEXT: refusedUnlessAccepted.describe('`accept` lets workers and the API act on unencrypted payloads — only while histories begun before encryption run (see [Payload encryption](security.md#payload-encryption-and-the-codec-server))'),
  PAYLOADS_UNBOUND: refusedUnlessAccepted.describe('`accept` lets workers and the API act on payloads sealed before payloads were bound to their workflow — only while histories begun before that still run'),
  CODEC_PORT: port.default(8234).describe('the codec server the Web UI decodes payloads through'),
  CODEC_ALLOWED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(url(['http', 'https'])))
    .optional().describe('browser origins allowed to call the codec server, comma-separated; unset: the local Web UI'),
});
export const payloadsEnv = payloadsSchema.shape;
type PayloadsEnv = z.infer<typeof payloadsSchema>;

export interface PayloadsConfig {
  /** null means: the development key in `<dataDir>/payload-keys` (never in production). */
  keyring: PayloadKeyring | null;
  plaintext: PlaintextPayloads;
  unbound: UnboundPayloads;
}

export interface CodecConfig {
  port: number;
  allowedOrigins: string[];
}

export function payloadsOf(e: PayloadsEnv, { production, webUiPort }: { production: boolean; webUiPort: number }): { payloads: PayloadsConfig; codec: CodecConfig } {
  if (production && e.PAYLOAD_KEYS === undefined) {
    throw invalid(
      'PAYLOAD_KEYS is required in production, or workflow histories would hold card tokens and customer data in clear. ' +
        'Set it to id:base64key pairs, e.g. PAYLOAD_KEYS="2026-12:$(openssl rand -base64 32)"',
    );
  }
  const keyIds = e.PAYLOAD_KEYS ? [...e.PAYLOAD_KEYS.keys()] : [];
  if (e.PAYLOAD_KEY_ID !== undefined && !keyIds.includes(e.PAYLOAD_KEY_ID)) {
    throw invalid(`PAYLOAD_KEY_ID=${JSON.stringify(e.PAYLOAD_KEY_ID)}: must be one of the ids in PAYLOAD_KEYS (${keyIds.join(', ') || 'none set'})`);
  }
  return {
    payloads: { keyring: e.PAYLOAD_KEYS ? { activeKeyId: e.PAYLOAD_KEY_ID ?? keyIds[0]!, keys: e.PAYLOAD_KEYS } : null, plaintext: e.PAYLOADS_PLAINTEXT, unbound: e.PAYLOADS_UNBOUND },
    codec: { port: e.CODEC_PORT, allowedOrigins: e.CODEC_ALLOWED_ORIGINS ?? [`http://127.0.0.1:${webUiPort}`, `http://localhost:${webUiPort}`] },
  };
}

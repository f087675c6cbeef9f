/**
 * Where payload keys come from. `PAYLOAD_KEYS` lists `id:base64key` pairs (32-byte keys); `PAYLOAD_KEY_ID`
 * names the one new payloads are sealed with (default: the first). Outside production, with no keys set, the
 * processes sharing a data directory use a development key generated once into `<DATA_DIR>/payload-keys`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { createPayloadCodec, KEY_BYTES, type LegacyPayloads, type PayloadKeyring } from './payload-codec.ts';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses `id:base64key,…`; throws an Error whose message names the offending entry (never its key). */
export function parsePayloadKeys(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('must list at least one key as id:base64key');
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(id)) throw new Error(`entry ${index + 1} must be id:base64key with an id of letters, digits, '.', '_' or '-'`);
    const encoded = entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== KEY_BYTES) {
      throw new Error(`key ${JSON.stringify(id)} must be ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
    }
    if (keys.has(id)) throw new Error(`key id ${JSON.stringify(id)} is listed twice`);
    keys.set(id, key);
  });
  return keys;
}

export const generatePayloadKey = (id: string) => `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;

/** The development keyring under `dataDir`, created on first use (readable by its owner only). */
export function developmentKeyring(dataDir: string): PayloadKeyring {
  const file = path.join(dataDir, 'payload-keys');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${generatePayloadKey('dev-1')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process of the stack created it first: use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  const keys = parsePayloadKeys(readFileSync(file, 'utf8'));
  return { activeKeyId: [...keys.keys()][0]!, keys };
}

/** What a process's configuration says of payloads (src/config/index.ts `payloads`, and its DATA_DIR for the development key). */
export interface PayloadSettings {
  payloads: { keyring: PayloadKeyring | null } & LegacyPayloads;
  dataDir: string;
}

/** The keyring a process of this service uses: the configured keys, or outside production the development key. */
export const payloadKeyringOf = (config: PayloadSettings): PayloadKeyring => config.payloads.keyring ?? developmentKeyring(config.dataDir);

/** The module of the failure converter that encodes failure messages and stack traces (see failure-converter.cjs). */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/**
 * The data converter every Temporal client and worker of this service uses: JSON payloads, failure texts
 * moved into payloads, then all of it encrypted.
 */
export const encryptingDataConverter = (keyring: PayloadKeyring, options: LegacyPayloads = {}): DataConverter => ({
  payloadCodecs: [createPayloadCodec(keyring, options)],
  failureConverterPath: FAILURE_CONVERTER_PATH,
});

/** The encrypting data converter on a process's configured (or development) keys; plaintext and unbound payloads as configured (refused by default). */
export const dataConverterOf = (config: PayloadSettings): DataConverter =>
  encryptingDataConverter(payloadKeyringOf(config), { plaintext: config.payloads.plaintext, unbound: config.payloads.unbound });

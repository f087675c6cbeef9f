/**
 * Payload encryption for everything the service hands Temporal: workflow and activity inputs and results,
 * queries, updates, memos and failures' details. Temporal stores only ciphertext, so a history read with
 * namespace access alone (Web UI, `temporal workflow show`, exported fixtures) holds no card token, email,
 * name or address in clear.
 *
 * Each payload is the whole original payload (metadata and data) serialized and sealed with AES-256-GCM under
 * the active key; the key's id travels in the new payload's metadata, so several keys can decode at once and
 * keys rotate without rewriting history.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

// A CommonJS module: Node's ESM loader sees only its default export.
const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** The keys a process may decrypt with, and the one it encrypts with. */
export interface PayloadKeyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

export function createPayloadCodec(keyring: PayloadKeyring): PayloadCodec {
  const activeKey = keyring.keys.get(keyring.activeKeyId);
  if (!activeKey) throw new Error(`the active payload key ${JSON.stringify(keyring.activeKeyId)} is not among the configured keys`);
  const activeKeyIdBytes = utf8.encode(keyring.activeKeyId);
  const encodingBytes = utf8.encode(ENCRYPTED_ENCODING);

  function seal(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', activeKey!, iv);
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { encoding: encodingBytes, [KEY_ID_METADATA]: activeKeyIdBytes }, data: sealed };
  }

  function open(payload: Payload): Payload {
    const encoding = payload.metadata?.encoding;
    // Payloads written before encryption (or by a client without it) pass through unchanged.
    if (!encoding || text.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!idBytes) throw new PayloadDecryptionError(`an encrypted payload has no ${KEY_ID_METADATA} in its metadata`);
    const keyId = text.decode(idBytes);
    const key = keyring.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload is encrypted with key id ${JSON.stringify(keyId)}, which is not configured (known: ${[...keyring.keys.keys()].join(', ')}); add it to PAYLOAD_KEYS`,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`a payload encrypted with key id ${JSON.stringify(keyId)} is too short to be valid`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`a payload does not decrypt with key id ${JSON.stringify(keyId)}: it was altered, or sealed with another key under that id`);
    }
    return temporal.api.common.v1.Payload.decode(plain) as Payload;
  }

  return {
    async encode(payloads) {
      return payloads.map(seal);
    },
    async decode(payloads) {
      return payloads.map(open);
    },
  };
}

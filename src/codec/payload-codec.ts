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

/**
 * What decoding does with a payload that is not encrypted. `refuse` (the service's processes): the worker and
 * the API act only on what a holder of the payload keys sealed, so a client with namespace access alone — the
 * CLI, the Web UI, a script — cannot start a checkout at a price of its choosing or send an approval; the
 * workflow task that carries it fails, naming the reason, and nothing runs. `accept`: passed through — for the
 * codec server, which only shows payloads to an operator (the Web UI's own summaries among them), and, set
 * with PAYLOADS_PLAINTEXT=accept, for histories begun before encryption while they still run.
 */
export type PlaintextPayloads = 'refuse' | 'accept';

export function createPayloadCodec(keyring: PayloadKeyring, { plaintext = 'refuse' }: { plaintext?: PlaintextPayloads } = {}): PayloadCodec {
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
    if (!encoding || text.decode(encoding) !== ENCRYPTED_ENCODING) {
      if (plaintext === 'accept') return payload;
      throw new PayloadDecryptionError(
        `a payload is not encrypted (encoding ${JSON.stringify(encoding ? text.decode(encoding) : null)}): this service acts only on payloads sealed with its PAYLOAD_KEYS, ` +
          'so a client without them cannot start or steer a checkout. For histories begun before encryption, set PAYLOADS_PLAINTEXT=accept while they run',
      );
    }
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

/** The codec of the codec server: it only shows payloads to an operator, plaintext ones too (the Web UI's summaries), and acts on none. */
export const displayCodec = (keyring: PayloadKeyring): PayloadCodec => createPayloadCodec(keyring, { plaintext: 'accept' });

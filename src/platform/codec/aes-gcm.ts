/** AES-256-GCM as this service uses it: a fresh 12-byte IV per message, laid out as IV | ciphertext | 16-byte tag. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals `plain` under `key`; `associatedData` (when given) must be presented again to open it. */
export function sealBytes(key: Buffer, plain: Uint8Array, associatedData?: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (associatedData) cipher.setAAD(associatedData);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** The plain bytes, or `'too_short'` / `'altered'` when `sealed` is not what `sealBytes` made with this key and data. */
export function openBytes(key: Buffer, sealed: Uint8Array, associatedData?: Uint8Array): Buffer | 'too_short' | 'altered' {
  if (sealed.length < IV_BYTES + TAG_BYTES) return 'too_short';
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  if (associatedData) decipher.setAAD(associatedData);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return 'altered';
  }
}

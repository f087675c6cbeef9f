/**
 * A small value (an event's contact, a stored customer, a webhook secret) sealed with the active payload key
 * and bound to what it belongs to: the purpose, the key id and the owner's id are its associated data, so it
 * opens only for that owner and purpose — copied elsewhere, it does not open.
 */
import { openBytes, sealBytes } from './aes-gcm.ts';
import type { PayloadKeyring } from './payload-codec.ts';

/** AES-256-GCM under one of the payload keys: the key's id, and base64 of IV, ciphertext and tag. */
export interface BoundSealed {
  keyId: string;
  data: string;
}

const utf8 = new TextEncoder();
const associatedData = (purpose: string, keyId: string, owner: string) => utf8.encode(JSON.stringify([purpose, keyId, owner]));

export function sealBound(keyring: PayloadKeyring, purpose: string, owner: string, text: string): BoundSealed {
  const key = keyring.keys.get(keyring.activeKeyId)!;
  return { keyId: keyring.activeKeyId, data: sealBytes(key, utf8.encode(text), associatedData(purpose, keyring.activeKeyId, owner)).toString('base64') };
}

/** The text `sealBound` sealed for `owner`, or why not: its key is not configured, or it does not open (altered, or another owner's). */
export function openBound(keyring: PayloadKeyring, purpose: string, owner: string, sealed: BoundSealed): { text: string } | { problem: 'unknown_key' | 'does_not_open' } {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) return { problem: 'unknown_key' };
  const plain = openBytes(key, Buffer.from(sealed.data, 'base64'), associatedData(purpose, sealed.keyId, owner));
  return typeof plain === 'string' ? { problem: 'does_not_open' } : { text: plain.toString('utf8') };
}

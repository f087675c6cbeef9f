/**
 * Endpoint signing secrets (`whsec_` + base64 of 24 random bytes, as Standard Webhooks has them): shown to the
 * merchant once, stored sealed with the payload keys and bound to the endpoint, opened only to sign.
 */
import { randomBytes } from 'node:crypto';
import { openBytes, sealBytes } from '../platform/codec/aes-gcm.ts';
import type { PayloadKeyring } from '../platform/codec/payload-codec.ts';
import type { StoredSecret } from '../platform/db/schema/index.ts';

export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

const utf8 = new TextEncoder();
const associatedData = (keyId: string, endpointId: string) => utf8.encode(JSON.stringify(['durable-checkout/webhook-secret/1', keyId, endpointId]));

export function sealSecret(secret: string, endpointId: string, keyring: PayloadKeyring, now: Date, expiresAt: Date | null = null): StoredSecret {
  const key = keyring.keys.get(keyring.activeKeyId)!;
  const sealed = sealBytes(key, utf8.encode(secret), associatedData(keyring.activeKeyId, endpointId));
  return { sealed: { keyId: keyring.activeKeyId, data: sealed.toString('base64') }, createdAt: now.toISOString(), expiresAt: expiresAt?.toISOString() ?? null };
}

/** The secrets that sign now: the current one and those rotated out whose overlap has not ended. */
export function signingSecrets(stored: readonly StoredSecret[], endpointId: string, keyring: PayloadKeyring, now: Date): string[] {
  return stored
    .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime())
    .map((s) => {
      const key = keyring.keys.get(s.sealed.keyId);
      if (!key) throw new Error(`webhook endpoint ${endpointId}: its secret is sealed with key id ${JSON.stringify(s.sealed.keyId)}, which is not configured; add it to PAYLOAD_KEYS`);
      const plain = openBytes(key, Buffer.from(s.sealed.data, 'base64'), associatedData(s.sealed.keyId, endpointId));
      if (typeof plain === 'string') throw new Error(`webhook endpoint ${endpointId}: its secret does not open with key id ${JSON.stringify(s.sealed.keyId)}`);
      return plain.toString('utf8');
    });
}

/**
 * Endpoint signing secrets (`whsec_` + base64 of 24 random bytes, as Standard Webhooks has them): shown to the
 * merchant once, stored sealed with the payload keys and bound to the endpoint, opened only to sign.
 */
import { randomBytes } from 'node:crypto';
import { openBound, sealBound } from '../platform/codec/bound-seal.ts';
import type { PayloadKeyring } from '../platform/codec/payload-codec.ts';
import type { StoredSecret } from '../platform/db/schema/index.ts';

export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** What a secret is bound to, beside its endpoint's id (see bound-seal.ts). */
const WEBHOOK_SECRET = 'durable-checkout/webhook-secret/1';

export function sealSecret(secret: string, endpointId: string, keyring: PayloadKeyring, now: Date, expiresAt: Date | null = null): StoredSecret {
  return { sealed: sealBound(keyring, WEBHOOK_SECRET, endpointId, secret), createdAt: now.toISOString(), expiresAt: expiresAt?.toISOString() ?? null };
}

/** The secrets that sign now: the current one and those rotated out whose overlap has not ended. */
export function signingSecrets(stored: readonly StoredSecret[], endpointId: string, keyring: PayloadKeyring, now: Date): string[] {
  return stored
    .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime())
    .map((s) => {
      const keyId = JSON.stringify(s.sealed.keyId);
      const opened = openBound(keyring, WEBHOOK_SECRET, endpointId, s.sealed);
      if ('text' in opened) return opened.text;
      throw new Error(
        opened.problem === 'unknown_key'
          ? `webhook endpoint ${endpointId}: its secret is sealed with key id ${keyId}, which is not configured; add it to PAYLOAD_KEYS`
          : `webhook endpoint ${endpointId}: its secret does not open with key id ${keyId}`,
      );
    });
}

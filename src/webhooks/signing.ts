/**
 * Standard Webhooks headers, signed with the maintained `standardwebhooks` library: `webhook-id` (the
 * delivery's id: the same on every attempt), `webhook-timestamp` (seconds) and `webhook-signature`, one
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per signing secret, space-separated (a rotation's overlap
 * signs with both, so a receiver holding either verifies).
 */
import { Webhook } from 'standardwebhooks';

export function signedHeaders(secrets: readonly string[], deliveryId: string, at: Date, body: string): Record<string, string> {
  if (secrets.length === 0) throw new Error(`webhook delivery ${deliveryId}: no secret to sign with`);
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(deliveryId, at, body)).join(' '),
  };
}

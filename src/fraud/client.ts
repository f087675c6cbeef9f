/** The fraud service's HTTP API: a score from 0 (safe) to 100 (certain fraud) with its reasons. */
import { z } from 'zod';
import { emailDomainOf, emailFingerprintOf, fingerprintOf } from './fingerprint.ts';
import { postJson, ProtocolError } from '../platform/http/client.ts';

export const fraudScoreSchema = z.object({ score: z.number().min(0).max(100), reasons: z.array(z.string()) });
export type FraudScore = z.infer<typeof fraudScoreSchema>;

/** What the saga asks to have scored (the activity's input, as recorded in history). */
export interface FraudScoreRequest {
  checkoutId: string;
  customerId: string;
  email: string;
  amount: number;
  currency: string;
  paymentToken: string;
  itemCount: number;
}

/**
 * What the fraud service is sent: fingerprints of the card token and the email, the email's domain and the
 * amounts — never the chargeable token or the address itself.
 */
export interface FraudWireRequest {
  checkoutId: string;
  customerId: string;
  emailDomain: string;
  emailFingerprint: string;
  tokenFingerprint: string;
  amount: number;
  currency: string;
  itemCount: number;
}

export const toFraudWireRequest = (input: FraudScoreRequest, fingerprintKey?: string): FraudWireRequest => ({
  checkoutId: input.checkoutId,
  customerId: input.customerId,
  emailDomain: emailDomainOf(input.email),
  emailFingerprint: emailFingerprintOf(input.email, fingerprintKey),
  tokenFingerprint: fingerprintOf(input.paymentToken, fingerprintKey),
  amount: input.amount,
  currency: input.currency,
  itemCount: input.itemCount,
});

export interface FraudClient {
  score(input: FraudScoreRequest): Promise<FraudScore>;
}

/**
 * The idempotency key of a checkout's fraud score: asked again (a retried step, or a workflow task run again
 * after its worker died), the service answers as it did the first time, so the saga takes the same path.
 */
export const fraudIdempotencyKey = (checkoutId: string) => `${checkoutId}:fraud-score`;

/** `fingerprintKey`: the key of the token's and the email's fingerprints (FRAUD_FINGERPRINT_KEY; a development key if absent). */
export function createFraudClient(baseUrl: string, options: { timeoutMs: number; fetch?: typeof fetch; fingerprintKey?: string }): FraudClient {
  return {
    async score(input) {
      const { status, body } = await postJson(`${baseUrl}/v1/scores`, toFraudWireRequest(input, options.fingerprintKey), {
        timeoutMs: options.timeoutMs,
        headers: { 'idempotency-key': fraudIdempotencyKey(input.checkoutId) },
        fetch: options.fetch,
      });
      const parsed = fraudScoreSchema.safeParse(body);
      if (status !== 200 || !parsed.success) throw new ProtocolError(`unexpected fraud service answer (HTTP ${status})`);
      return parsed.data;
    },
  };
}

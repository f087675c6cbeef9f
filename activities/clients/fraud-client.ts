/** The fraud service's HTTP API: a score from 0 (safe) to 100 (certain fraud) with its reasons. */
import { z } from 'zod';
import { postJson } from './http.ts';
import { GatewayProtocolError } from './gateway-client.ts';

export const fraudScoreSchema = z.object({ score: z.number().min(0).max(100), reasons: z.array(z.string()) });
export type FraudScore = z.infer<typeof fraudScoreSchema>;

export interface FraudScoreRequest {
  checkoutId: string;
  customerId: string;
  email: string;
  amount: number;
  currency: string;
  paymentToken: string;
  itemCount: number;
}

export interface FraudClient {
  score(input: FraudScoreRequest): Promise<FraudScore>;
}

export function createFraudClient(baseUrl: string, options: { timeoutMs: number; fetch?: typeof fetch }): FraudClient {
  return {
    async score(input) {
      const { status, body } = await postJson(`${baseUrl}/v1/scores`, input, { timeoutMs: options.timeoutMs, fetch: options.fetch });
      const parsed = fraudScoreSchema.safeParse(body);
      if (status !== 200 || !parsed.success) throw new GatewayProtocolError(`unexpected fraud service answer (HTTP ${status})`);
      return parsed.data;
    },
  };
}

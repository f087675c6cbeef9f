/** Fraud scoring through the fraud service; an unreachable service surfaces as a retryable failure. */
import { ApplicationFailure } from '@temporalio/activity';
import type { FraudClient, FraudScore, FraudScoreRequest } from './client.ts';
import { TransientHttpError } from '../platform/http/client.ts';

export const createFraudActivities = ({ fraud }: { fraud: FraudClient }) => ({
  async scoreFraud(input: FraudScoreRequest): Promise<FraudScore> {
    try {
      return await fraud.score(input);
    } catch (error) {
      if (error instanceof TransientHttpError) throw ApplicationFailure.retryable(error.message, 'fraud_unavailable');
      throw error;
    }
  },
});

export type FraudActivities = ReturnType<typeof createFraudActivities>;

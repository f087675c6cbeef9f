import { describe, expect, it } from 'vitest';
import { undoRefusal, undoRefusalType } from '../../src/payments/failures.ts';

describe('what a refused void or refund means to the compensation', () => {
  it.each([
    ['void', 'authorization_voided', 'done'],
    ['void', 'authorization_expired', 'done'],
    ['void', 'already_captured', 'captured'],
    ['void', 'not_found', 'escalate'],
    ['void', 'idempotency_key_reused', 'escalate'],
    ['void', 'try_later', 'retry'],
    ['refund', 'already_refunded', 'done'],
    ['refund', 'not_found', 'escalate'],
    ['refund', 'amount_too_large', 'escalate'],
    ['refund', 'processing', 'retry'],
  ] as const)('%s refused with %s: %s', (step, code, meaning) => {
    expect(undoRefusal(undoRefusalType(step, code))).toEqual({ meaning, code });
  });

  it('is not a refusal when the failure is an outage or another step', () => {
    expect(undoRefusal('gateway_unavailable')).toBeUndefined();
    expect(undoRefusal('capture_failed')).toBeUndefined();
    expect(undoRefusal(undefined)).toBeUndefined();
  });
});

/** The token table of API.md: each test token, the status and failure code it ends in, and the gateway effects it implies. */
import { NOTHING, type LedgerCounts } from '../workflows/support/world.ts';

export const charged: LedgerCounts = { ...NOTHING, authorization: 1, capture: 1 };
const voided: LedgerCounts = { ...NOTHING, authorization: 1, void: 1 };

export const TOKEN_TABLE: { token: string; status: string; code: string | null; primary: LedgerCounts; secondary: LedgerCounts }[] = [
  { token: 'tok_visa', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_chargeDeclined', status: 'declined', code: 'card_declined', primary: NOTHING, secondary: NOTHING },
  { token: 'tok_insufficientFunds', status: 'declined', code: 'insufficient_funds', primary: NOTHING, secondary: NOTHING },
  { token: 'tok_flaky', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_timeoutAfterCharge', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_captureFails', status: 'failed', code: 'capture_failed', primary: voided, secondary: NOTHING },
  { token: 'tok_primaryDown', status: 'completed', code: null, primary: NOTHING, secondary: charged },
  { token: 'tok_gatewayMisconfigured', status: 'completed', code: null, primary: NOTHING, secondary: charged },
  { token: 'tok_riskHighest', status: 'declined', code: 'fraud_declined', primary: NOTHING, secondary: NOTHING },
  { token: 'tok_mastercard', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_lostThenUnavailable', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_garbledAnswer', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_captureAnswerLost', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_shortHold', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  // These two differ only in how their refunds go (test/api/checkouts-port.int.test.ts); their checkouts complete.
  { token: 'tok_refundAnswerLost', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_refundsUnavailable', status: 'completed', code: null, primary: charged, secondary: NOTHING },
  { token: 'tok_unknownToUs', status: 'declined', code: 'card_declined', primary: NOTHING, secondary: NOTHING },
];


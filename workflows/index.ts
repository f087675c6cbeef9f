/** What the worker registers: workflow functions only. */
export { checkoutWorkflow } from './checkout.ts';
export { refundWorkflow } from './refund.ts';
export { purgeIdempotencyKeysWorkflow } from './maintenance.ts';

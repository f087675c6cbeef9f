/** What the worker registers: workflow functions only. */
export { checkoutWorkflow } from './checkout.ts';

/** The refunds context's public face: its reads, for the API. */
export { countRefundsInStatus, listRefunds, readRefund, refundableOf, type RefundFilters } from './store.ts';

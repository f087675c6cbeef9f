/** The customer emails, one per outcome and refund, in plain text and HTML. Pure: an event in, a rendered email out. */
import type { FailureCode } from '../contracts/checkout.ts';
import type { CheckoutEvent } from '../contracts/events.ts';
import { formatMoney } from '../platform/money.ts';

export interface RenderedEmail {
  template: 'order_confirmation' | 'decline_notice' | 'cancellation' | 'failure_notice' | 'refund_notice';
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Parts {
  template: RenderedEmail['template'];
  subject: string;
  heading: string;
  paragraphs: string[];
}

/**
 * What the customer is told about why, from the failure *code* only: the failure's message is written for
 * operators (fraud thresholds, review notes, gateway and database errors) and never reaches a customer.
 */
const CUSTOMER_REASONS: Record<FailureCode, string> = {
  out_of_stock: 'An item in your order is no longer in stock.',
  fraud_declined: 'We could not verify this payment.',
  review_rejected: 'We could not verify this payment.',
  review_timeout: 'We could not verify this payment in time.',
  card_declined: 'Your card was declined by its issuer.',
  insufficient_funds: 'Your card has insufficient funds for this order.',
  gateway_unavailable: 'Our payment provider could not be reached.',
  capture_failed: 'Your payment could not be completed.',
  cancelled_by_client: 'It was cancelled at your request.',
  internal_error: 'A problem on our side stopped it.',
};

function partsFor(event: CheckoutEvent): Parts | null {
  const total = formatMoney(event.data.amount.total, event.data.amount.currency);
  const code = event.data.failure?.code;
  const reason = code ? ` ${CUSTOMER_REASONS[code]}` : '';
  switch (event.type) {
    case 'checkout.completed':
      return {
        template: 'order_confirmation',
        subject: `Order ${event.data.orderId ?? event.checkoutId} confirmed`,
        heading: 'Thank you for your order',
        paragraphs: [`Your order ${event.data.orderId ?? ''} is confirmed and your payment of ${total} was taken.`.replace('  ', ' ')],
      };
    case 'checkout.declined':
      return {
        template: 'decline_notice',
        subject: 'Your order could not be accepted',
        heading: code === 'out_of_stock' ? 'An item is out of stock' : 'Your payment was declined',
        paragraphs: [`We could not accept your order of ${total}.${reason}`, 'You have not been charged. You can try again with another payment method.'],
      };
    case 'checkout.cancelled':
      return {
        template: 'cancellation',
        subject: 'Your checkout was cancelled',
        heading: 'Your checkout was cancelled',
        paragraphs: [`Your checkout of ${total} was cancelled.${reason}`, 'Any amount held on your card has been released.'],
      };
    case 'checkout.failed':
      return {
        template: 'failure_notice',
        subject: 'We could not complete your order',
        heading: 'Something went wrong on our side',
        paragraphs: [`We could not complete your order of ${total}.${reason}`, 'You have not been charged. Please try again in a few minutes.'],
      };
    case 'checkout.escalated':
      return {
        template: 'failure_notice',
        subject: 'We could not complete your order',
        heading: 'Something went wrong on our side',
        paragraphs: [
          `We could not complete your order of ${total}.${reason}`,
          'Our team is making sure that any amount held or taken on your card is returned to you; you need not do anything.',
        ],
      };
    case 'checkout.refunded': {
      const refund = event.data.refund;
      const amount = refund ? formatMoney(refund.amount, refund.currency) : total;
      const whole = refund?.amount === event.data.amount.total;
      return {
        template: 'refund_notice',
        subject: `Refund of ${amount} for order ${event.data.orderId ?? event.checkoutId}`,
        heading: whole ? 'Your order was refunded' : 'Part of your order was refunded',
        paragraphs: [`We refunded ${amount} of your payment of ${total}.`, 'It reaches your card within 5 to 10 business days, depending on your bank.'],
      };
    }
    // A refund that did not go through is the merchant's to settle with the customer: no email from us.
    case 'checkout.refund_failed':
      return null;
  }
}

/** Whether the customer hears of `event` at all (by email, SMS or push). */
export const tellsCustomer = (event: Pick<CheckoutEvent, 'type'>) => event.type !== 'checkout.refund_failed';

/** The customer's email about `event`; only for an event that `tellsCustomer`. */
export function renderCheckoutEmail(event: CheckoutEvent): RenderedEmail {
  const parts = partsFor(event);
  if (!parts) throw new TypeError(`${event.type} sends the customer no email`);
  const { currency } = event.data.amount;
  const greeting = `Hello${event.data.customer.name ? ` ${event.data.customer.name}` : ''},`;
  const items = event.data.items.map((i) => ({
    line: `${i.quantity} × ${i.name} (${i.sku})`,
    amount: formatMoney(i.quantity * i.unitAmount, currency),
  }));
  const total = formatMoney(event.data.amount.total, currency);
  const reference = `Checkout reference: ${event.checkoutId}`;

  const text = [
    greeting,
    '',
    ...parts.paragraphs.flatMap((p) => [p, '']),
    ...(items.length ? [...items.map((i) => `  ${i.line}  ${i.amount}`), `  Total  ${total}`, ''] : []),
    reference,
  ].join('\n');

  const rows = items.map((i) => `<tr><td>${escapeHtml(i.line)}</td><td style="text-align:right">${escapeHtml(i.amount)}</td></tr>`).join('');
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#222">
<h1 style="font-size:20px">${escapeHtml(parts.heading)}</h1>
<p>${escapeHtml(greeting)}</p>
${parts.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${rows ? `<table cellpadding="4">${rows}<tr><th style="text-align:left">Total</th><th style="text-align:right">${escapeHtml(total)}</th></tr></table>` : ''}
<p style="color:#777;font-size:12px">${escapeHtml(reference)}</p>
</body></html>`;

  return { template: parts.template, subject: parts.subject, text, html };
}

/** The customer email templates: one per outcome, money in its currency, customer text escaped in HTML. */
import { describe, expect, it } from 'vitest';
import { FAILURE_CODES, type FailureCode } from '../../src/contracts/checkout.ts';
import { formatMoney } from '../../src/platform/money.ts';
import { renderCheckoutEmail, tellsCustomer } from '../../src/notifications/email-templates.ts';
import { redactJson, redactPersonalData } from '../../src/platform/redact.ts';
import { maskEmail } from '../../src/notifications/email-subscriber.ts';
import { sampleEvent } from '../nats/support.ts';

describe('email templates', () => {
  it('picks the template of each outcome', () => {
    const templates = (['checkout.completed', 'checkout.declined', 'checkout.cancelled', 'checkout.failed'] as const).map(
      (type) => renderCheckoutEmail(sampleEvent(type)).template,
    );
    expect(templates).toEqual(['order_confirmation', 'decline_notice', 'cancellation', 'failure_notice']);
  });

  it('tells the customer of a refund, whole or in part, and says nothing of one that failed', () => {
    const refund = (amount: number, status: 'succeeded' | 'failed') => ({ id: 're_1', amount, currency: 'USD', status, reason: null, failureCode: null });
    const part = renderCheckoutEmail(sampleEvent('checkout.refunded', { data: { orderId: 'ord_1', refund: refund(1000, 'succeeded') } }));
    expect(part).toMatchObject({ template: 'refund_notice', subject: 'Refund of $10.00 for order ord_1' });
    expect(part.text).toContain('We refunded $10.00 of your payment of $39.98.');
    expect(part.html).toContain('Part of your order was refunded');
    expect(renderCheckoutEmail(sampleEvent('checkout.refunded', { data: { refund: refund(3998, 'succeeded') } })).html).toContain('Your order was refunded');
    expect(tellsCustomer(sampleEvent('checkout.refund_failed'))).toBe(false);
    expect(tellsCustomer(sampleEvent('checkout.refunded'))).toBe(true);
    expect(() => renderCheckoutEmail(sampleEvent('checkout.refund_failed'))).toThrow(/sends the customer no email/);
  });

  it('formats minor units in the currency of the order', () => {
    expect(formatMoney(3998, 'USD')).toBe('$39.98');
    expect(formatMoney(500, 'JPY')).toBe('¥500');
    expect(formatMoney(1234, 'EUR')).toBe('€12.34');
  });

  it('lists the items and the total in both bodies', () => {
    const email = renderCheckoutEmail(sampleEvent('checkout.completed'));
    expect(email.text).toContain('2 × Mug (SKU-MUG)  $39.98');
    expect(email.text).toContain('Total  $39.98');
    expect(email.html).toContain('<th style="text-align:right">$39.98</th>');
  });

  it('escapes what the customer typed', () => {
    const event = sampleEvent('checkout.declined', { data: { customer: { id: 'c', email: 'x@example.com', name: '<script>alert(1)</script>' } } });
    const email = renderCheckoutEmail(event);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.text).toContain('Hello <script>alert(1)</script>,');
  });

  it.each(FAILURE_CODES)('tells the customer why from the code %s, never the internal message', (code) => {
    const internal = 'fraud score 71 ≥ 70; note from ops: looks like a reseller; POST http://gateway.internal:8080 failed';
    const type = code === 'cancelled_by_client' ? 'checkout.cancelled' : code === 'internal_error' || code === 'gateway_unavailable' || code === 'capture_failed' ? 'checkout.failed' : 'checkout.declined';
    const email = renderCheckoutEmail(sampleEvent(type, { data: { failure: { code, message: internal } } }));
    for (const body of [email.text, email.html, email.subject]) {
      expect(body).not.toContain('fraud score');
      expect(body).not.toContain('gateway.internal');
      expect(body).not.toContain('reseller');
    }
    expect(email.text).toMatch(/\. [A-Z][^.]+\./); // a sentence of reason after the order line
  });

  it('words each reason for the customer', () => {
    const reason = (code: FailureCode, type: 'checkout.declined' | 'checkout.cancelled' | 'checkout.failed' = 'checkout.declined') =>
      renderCheckoutEmail(sampleEvent(type, { data: { failure: { code, message: 'x' } } })).text;
    expect(reason('out_of_stock')).toContain('no longer in stock');
    expect(reason('card_declined')).toContain('Your card was declined');
    expect(reason('review_timeout')).toContain('could not verify this payment in time');
    expect(reason('cancelled_by_client', 'checkout.cancelled')).toContain('cancelled at your request');
    expect(reason('gateway_unavailable', 'checkout.failed')).toContain('You have not been charged');
  });

  it('tells the customer of an escalated checkout that the team returns any amount held', () => {
    const email = renderCheckoutEmail(sampleEvent('checkout.escalated', { data: { failure: { code: 'capture_failed', message: 'void refused: not_found' } } }));
    expect(email.template).toBe('failure_notice');
    expect(email.text).toContain('Our team is making sure that any amount held or taken on your card is returned to you');
    expect(email.text).not.toContain('not_found');
  });

  it('masks addresses for logs', () => {
    expect(maskEmail('ada@example.com')).toBe('a***@example.com');
  });
});

describe('redacting personal data from text that leaves the service', () => {
  it('masks email addresses, payment tokens and URL passwords, and leaves the rest', () => {
    expect(redactPersonalData('550 5.1.1 <grace.hopper@navy.example>: Recipient address rejected')).toBe('550 5.1.1 <g***@navy.example>: Recipient address rejected');
    expect(redactPersonalData('token tok_visa refused; tok_ alone stays')).toBe('token tok_*** refused; tok_ alone stays');
    expect(redactPersonalData('connect smtp://mailer:s3cret@relay.example:587 failed')).toBe('connect smtp://mailer:***@relay.example:587 failed');
    expect(redactPersonalData('HTTP 503 from http://127.0.0.1:4011/v1/authorizations')).toBe('HTTP 503 from http://127.0.0.1:4011/v1/authorizations');
  });

  it('masks the personal fields of an event wherever they sit, and personal data in its other texts', () => {
    const event = {
      id: 'evt_1',
      type: 'checkout.completed',
      data: {
        customer: { id: 'cus_1', email: 'grace.hopper@navy.example', name: 'Grace Hopper', phone: '+15550100123', deviceToken: 'dvc_secret' },
        shippingAddress: { line1: '77 Secret Lane', city: 'Arlington', postalCode: '22201', country: 'US' },
        failure: { code: 'card_declined', message: 'refused tok_visa for grace@navy.example' },
        amount: { total: 3998, currency: 'USD' },
      },
    };
    const shown = JSON.stringify(redactJson(event));
    for (const secret of ['grace.hopper@', 'Grace Hopper', '5550100', 'dvc_secret', '77 Secret', '22201', 'tok_visa', 'grace@']) expect(shown, secret).not.toContain(secret);
    expect(redactJson(event)).toMatchObject({ id: 'evt_1', data: { customer: { id: 'cus_1', email: 'g***@navy.example', name: 'G***', phone: '+***23' }, amount: { total: 3998 } } });
  });

  it('masks phone numbers to their last two digits, however they are spaced', () => {
    expect(redactPersonalData('provider refused +15550100123: unreachable')).toBe('provider refused +***23: unreachable');
    expect(redactPersonalData('to +44 20 7946 0958 and +49-30-1234567')).toBe('to +***58 and +***67');
    expect(redactPersonalData('HTTP 503 after 12345678 ms, order 2')).toBe('HTTP 503 after 12345678 ms, order 2');
  });

  it('masks a URL password holding "/", "," or "@", and each of a comma-separated list of URLs', () => {
    expect(redactPersonalData('connect postgres://app:p/a,s@s@db:5432/checkout refused')).toBe('connect postgres://app:***@db:5432/checkout refused');
    expect(redactPersonalData('nats://a:one@n1:4222,nats://b:t/wo@n2:4222')).toBe('nats://a:***@n1:4222,nats://b:***@n2:4222');
  });
});

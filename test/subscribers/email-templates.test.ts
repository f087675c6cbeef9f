/** The customer email templates: one per outcome, money in its currency, customer text escaped in HTML. */
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.ts';
import { renderCheckoutEmail } from '../../src/subscribers/email-templates.ts';
import { maskEmail } from '../../src/subscribers/email.ts';
import { sampleEvent } from '../nats/support.ts';

describe('email templates', () => {
  it('picks the template of each outcome', () => {
    const templates = (['checkout.completed', 'checkout.declined', 'checkout.cancelled', 'checkout.failed'] as const).map(
      (type) => renderCheckoutEmail(sampleEvent(type)).template,
    );
    expect(templates).toEqual(['order_confirmation', 'decline_notice', 'cancellation', 'failure_notice']);
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

  it('masks addresses for logs', () => {
    expect(maskEmail('ada@example.com')).toBe('a***@example.com');
  });
});

/** What the Web UI's markdown panes show of text a merchant, a customer or a gateway chose: that text, never markup. */
import { describe, expect, it } from 'vitest';
import { markdownCode, markdownText } from '../../src/checkouts/web-ui-markdown.ts';
import { checkoutDetails } from '../../src/checkouts/temporal-checkouts.ts';

describe('markdown for the Web UI', () => {
  it('escapes every character markdown or HTML acts on, so no link, image, tag or emphasis comes through', () => {
    expect(markdownText('[pay here](javascript:alert(1)) ![x](http://evil/x.png) <img src=x> **bold** _it_')).toBe(
      '\\[pay here\\]\\(javascript\\:alert\\(1\\)\\) \\!\\[x\\]\\(http\\:\\/\\/evil\\/x\\.png\\) \\<img src\\=x\\> \\*\\*bold\\*\\* \\_it\\_',
    );
    expect(markdownText('line one\nline two')).toBe('line one line two');
  });

  it('fences a code span longer than any backtick run inside it', () => {
    expect(markdownCode('cus_1')).toBe('`cus_1`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x``')).toBe('``` `x`` ```');
  });

  it("keeps a customer id chosen to break out of its code span inside it", () => {
    const input = {
      checkoutId: 'chk_1',
      merchantId: 'mer_1',
      customer: { id: 'c` [click](javascript:alert(1)) `', email: 'a@example.com', name: 'A' },
      items: [{ sku: 'SKU-MUG', name: 'Mug <b>', quantity: 1, unitAmount: 100 }],
      amount: { total: 100, currency: 'USD' },
    } as unknown as Parameters<typeof checkoutDetails>[0];
    const details = checkoutDetails(input);
    expect(details).toContain('customer `` c` [click](javascript:alert(1)) ` ``');
    expect(details).toContain('Mug \\<b\\>');
  });
});

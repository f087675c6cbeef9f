/**
 * `npm run demo`: sends ten checkouts through the running stack's API and prints what happened to each —
 * the saga's outcome, the email the email subscriber sent, and the analytics subscriber's count.
 */
import { loadConfig } from '../config.ts';
import { readStackFile } from './stack-file.ts';

const COUNT = Number(process.env.DEMO_CHECKOUTS ?? 10);

interface Checkout {
  id: string;
  status: string;
  orderId: string | null;
  failure: { code: string } | null;
}
interface Mail {
  subject: string;
  messageId: string;
  to: string[];
}

async function main() {
  const stack = readStackFile(loadConfig().dataDir);
  if (!stack.keys) throw new Error('the running stack has no development keys (NODE_ENV=production); the demo needs them');
  const headers = { authorization: `Bearer ${stack.keys.merchant}`, 'content-type': 'application/json' };
  const summary = async () => {
    const response = await fetch(`${stack.api}/v1/analytics/summary`, { headers });
    if (!response.ok) throw new Error(`GET /v1/analytics/summary answered ${response.status}`);
    return ((await response.json()) as { counts: { completed: number } }).counts.completed;
  };
  const completedBefore = await summary();
  const run = Date.now().toString(36);

  console.log(`sending ${COUNT} checkouts to ${stack.api} (Prefer: wait=30) …\n`);
  const checkouts = await Promise.all(
    Array.from({ length: COUNT }, async (_, i) => {
      const response = await fetch(`${stack.api}/v1/checkouts`, {
        method: 'POST',
        headers: { ...headers, prefer: 'wait=30', 'idempotency-key': `demo-${run}-${i}` },
        body: JSON.stringify({
          customer: { id: `cus_demo_${i + 1}`, email: `shopper${i + 1}@example.com`, name: `Shopper ${i + 1}` },
          items: [{ sku: i % 2 ? 'SKU-TEE' : 'SKU-MUG', quantity: 1 + (i % 3) }],
          currency: 'USD',
          payment: { token: 'tok_visa' },
          shippingAddress: { line1: `${i + 1} Main St`, city: 'Springfield', postalCode: '12345', country: 'US' },
        }),
      });
      if (response.status !== 200 && response.status !== 202) throw new Error(`POST /v1/checkouts answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as Checkout;
    }),
  );

  // The subscribers run at their own pace: wait until each has seen every event (or 30 s pass).
  const deadline = Date.now() + 30_000;
  let mails: Mail[] = [];
  let counted = 0;
  do {
    await new Promise((r) => setTimeout(r, 500));
    const mailbox = stack.mailbox.startsWith('http') ? ((await (await fetch(`${stack.mailbox}/messages`)).json()) as { messages: Mail[] }).messages : [];
    mails = mailbox.filter((m) => checkouts.some((c) => m.messageId.includes(c.id)));
    counted = (await summary()) - completedBefore;
  } while ((mails.length < COUNT || counted < COUNT) && Date.now() < deadline);

  const rows = checkouts.map((c) => {
    const mail = mails.find((m) => m.messageId.includes(c.id));
    return { checkout: c.id, status: c.failure ? `${c.status} (${c.failure.code})` : c.status, order: c.orderId ?? '—', email: mail ? `"${mail.subject}" → ${mail.to.join(', ')}` : 'not yet' };
  });
  console.table(rows);
  console.log(`\nemail subscriber:     ${mails.length} of ${COUNT} emails in the sink (${stack.mailbox}/messages)`);
  console.log(`analytics subscriber: ${counted} more completed orders counted (${stack.api}/dashboard)`);
  if (mails.length < COUNT || counted < COUNT) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});

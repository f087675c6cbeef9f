/**
 * `npm run demo`: sends ten checkouts through the running stack's API and prints what happened to each —
 * the saga's outcome, the message that reached the customer (email, SMS or push, with any failover or
 * fallback), and the analytics subscriber's count.
 */
import { createCheckoutClient, type components } from '../client/index.ts';
import { loadConfig } from '../config/index.ts';
import { readStackFile } from '../local-stack/stack-file.ts';
import { readCommandLine, UsageError } from '../platform/command-line.ts';

const COUNT = Number(process.env.DEMO_CHECKOUTS ?? 10);

type Notification = components['schemas']['Notification'];

/** A mix of customers: email only, SMS, SMS with its primary provider down, push, and push to a dead device. */
const CONTACTS: Partial<components['schemas']['CheckoutRequest']['customer']>[] = [
  {},
  { phone: '+15551230100', notify: ['sms', 'email'] },
  { phone: '+15005550002', notify: ['sms', 'email'] },
  { deviceToken: 'demo_device_token', notify: ['push', 'email'] },
  { deviceToken: 'push_invalid_demo', notify: ['push', 'email'] },
];

const describeNotification = (n: Notification | undefined) =>
  !n
    ? 'not yet'
    : `${n.status} by ${n.channel}${n.provider ? ` (${n.provider})` : ''}` +
      (n.fallbacks.length ? `, after ${n.fallbacks.map((f) => `${f.from} ${f.reason === 'rejected' ? 'refused' : 'timed out'}`).join(', ')}` : '') +
      `, ${n.attempts} attempt${n.attempts === 1 ? '' : 's'}`;

const USAGE = `usage: npm run demo
  sends DEMO_CHECKOUTS (10) checkouts through the running local stack (npm start) and shows what became of each`;

async function main() {
  if (readCommandLine(process.argv.slice(2), {}).values.help) {
    console.log(USAGE);
    return;
  }
  const stack = readStackFile(loadConfig().dataDir);
  if (!stack.keys) throw new Error('the running stack has no development keys (NODE_ENV=production); the demo needs them');
  const api = createCheckoutClient(stack.api, stack.keys.merchant);
  const summary = async () => {
    const { data, response } = await api.GET('/v1/analytics/summary');
    if (!data) throw new Error(`GET /v1/analytics/summary answered ${response.status}`);
    return data.counts.completed;
  };
  const completedBefore = await summary();
  const run = Date.now().toString(36);

  console.log(`sending ${COUNT} checkouts to ${stack.api} (Prefer: wait=30) …\n`);
  const checkouts = await Promise.all(
    Array.from({ length: COUNT }, async (_, i) => {
      const { data, error, response } = await api.POST('/v1/checkouts', {
        params: { header: { prefer: 'wait=30', 'idempotency-key': `demo-${run}-${i}` } },
        body: {
          customer: { id: `cus_demo_${i + 1}`, email: `shopper${i + 1}@example.com`, name: `Shopper ${i + 1}`, ...CONTACTS[i % CONTACTS.length] },
          items: [{ sku: i % 2 ? 'SKU-TEE' : 'SKU-MUG', quantity: 1 + (i % 3) }],
          currency: 'USD',
          payment: { token: 'tok_visa' },
          shippingAddress: { line1: `${i + 1} Main St`, city: 'Springfield', postalCode: '12345', country: 'US' },
          metadata: { demo: run },
        },
      });
      if (!data) throw new Error(`POST /v1/checkouts answered ${response.status}: ${JSON.stringify(error)}`);
      return data;
    }),
  );

  // The subscribers run at their own pace: wait until each checkout's message is delivered (or 30 s pass).
  const deadline = Date.now() + 30_000;
  let delivered = new Map<string, Notification>();
  let counted = 0;
  do {
    await new Promise((r) => setTimeout(r, 500));
    const lists = await Promise.all(
      checkouts.map(async (c) => {
        const { data } = await api.GET('/v1/checkouts/{id}/notifications', { params: { path: { id: c.id } } });
        return [c.id, data?.notifications.find((n) => n.status === 'delivered')] as const;
      }),
    );
    delivered = new Map(lists.filter((entry): entry is readonly [string, Notification] => entry[1] !== undefined));
    counted = (await summary()) - completedBefore;
  } while ((delivered.size < COUNT || counted < COUNT) && Date.now() < deadline);

  const rows = checkouts.map((c) => ({
    checkout: c.id,
    status: 'failure' in c && c.failure ? `${c.status} (${c.failure.code})` : c.status,
    order: ('orderId' in c && c.orderId) || '—',
    message: describeNotification(delivered.get(c.id)),
  }));
  console.table(rows);
  console.log(`\nemail and notifications subscribers: ${delivered.size} of ${COUNT} messages delivered (GET /v1/checkouts/{id}/notifications; mail in ${stack.mailbox}/messages)`);
  console.log(`analytics subscriber: ${counted} more completed orders counted (${stack.api}/dashboard)`);
  if (delivered.size < COUNT || counted < COUNT) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}${error instanceof UsageError ? `\n\n${USAGE}` : ''}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});

/**
 * No card token, email address or customer name in the logs: the whole token table runs through the local
 * stack as `npm start` runs it, at LOG_LEVEL=debug, one customer per checkout; then every line the stack
 * printed and every log file under its data dir (Temporal's, NATS's) are searched for each token, email and
 * name used. Zero hits. (Dead letters and delivery errors that quote an SMTP refusal: test/subscribers.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutRequest } from '../support/checkout-stack.ts';
import { startPrivateStack, type PrivateStack } from '../../harness/service-process.ts';
import { waitFor } from '../support/wait-for.ts';
import { newCustomer } from '../workflows/support/world.ts';
import { TOKEN_TABLE } from './token-table.ts';

let local: PrivateStack;

beforeAll(async () => {
  local = await startPrivateStack({ LOG_LEVEL: 'debug', GATEWAY_TIMEOUT: '1s', SIMULATOR_HANG: '2500' });
});
afterAll(() => local?.stop());

const merchant = { authorization: 'Bearer dev_merchant_key', 'content-type': 'application/json' };

/** Every file under `dir` whose name says it is a log. */
function logFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const at = path.join(dir, name);
    if (statSync(at).isDirectory()) return logFiles(at);
    return /\.log$/.test(name) ? [at] : [];
  });
}

describe('logs of a full token-table run', { timeout: 240_000 }, () => {
  it('hold no token, email or name of any checkout', async () => {
    const { stack, proc, dataDir } = local;
    const secrets: string[] = [];
    const ids: string[] = [];
    for (const [i, { token }] of TOKEN_TABLE.entries()) {
      const customer = newCustomer(`Customer${i}x${Date.now().toString(36)}`);
      secrets.push(token, customer.email, customer.name);
      const response = await fetch(`${stack.api}/v1/checkouts`, {
        method: 'POST',
        headers: { ...merchant, prefer: 'wait=30' },
        body: JSON.stringify(checkoutRequest({ token, customer })),
      });
      expect(response.status, token).toBe(200);
      ids.push(((await response.json()) as { id: string }).id);
    }
    // Every outcome mailed (the email subscriber's logs count too).
    await waitFor(
      async () => {
        const { messages } = (await (await fetch(`${stack.mailbox}/messages`)).json()) as { messages: unknown[] };
        return messages.length >= ids.length;
      },
      { what: 'one email per checkout', timeoutMs: 60_000 },
    );
    await local.terminate();

    const texts: [string, string][] = [['stack output', proc.output()], ...logFiles(dataDir).map((file) => [file, readFileSync(file, 'utf8')] as [string, string])];
    // The run did log: debug lines of requests and steps, not an empty file that would pass any search.
    expect(proc.output()).toContain('"level":20');
    expect(ids.filter((id) => proc.output().includes(id))).toEqual(ids);
    expect(texts.map(([where]) => path.basename(where))).toEqual(expect.arrayContaining(['nats-server.log', 'temporal.log']));
    const hits = texts.flatMap(([where, text]) => secrets.filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${where}`));
    expect(hits).toEqual([]);
  });
});

/**
 * The Temporal Web UI with the codec server, in a real browser (Debian's chromium via playwright-core),
 * against the local stack as `npm start` runs it: an operator signed in at the codec server sees a
 * checkout's input decoded; a browser that has not signed in sees no customer data. Saves
 * test-results/web-ui-codec.png (the README's screenshot).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { checkoutWorkflowId } from '../../src/contracts/checkout.ts';
import type { StackDescription } from '../../src/main/local-stack.ts';
import { checkoutRequest } from '../support/checkout-stack.ts';
import { startPrivateStack, type PrivateStack } from '../support/stack-process.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const EMAIL = 'grace.hopper@example.com';

let local: PrivateStack;
let stack: StackDescription;
let browser: Browser;
let checkoutId: string;

beforeAll(async () => {
  local = await startPrivateStack();
  stack = local.stack;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const response = await fetch(`${stack.api}/v1/checkouts`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev_merchant_key', 'content-type': 'application/json', prefer: 'wait=30' },
    body: JSON.stringify(checkoutRequest({ token: 'tok_visa', customer: { id: 'cus_grace', email: EMAIL, name: 'Grace Hopper' } })),
  });
  expect(response.status).toBe(200);
  checkoutId = ((await response.json()) as { id: string }).id;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

/**
 * The Web UI's codec settings (its own localStorage keys): the codec endpoint, with cross-origin credentials
 * so the browser sends the codec server's session cookie. The dev server has no flag for the latter.
 */
async function withCodecSettings(context: BrowserContext) {
  const settings = { endpoint: stack.codec, includeCredentials: true, overrideRemoteCodecConfiguration: true };
  // Runs in the page, before the UI's own scripts.
  await context.addInitScript({
    content: Object.entries(settings)
      .map(([key, value]) => `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify(value))});`)
      .join('\n'),
  });
}

const workflowPage = () => `${stack.temporalUi}/namespaces/default/workflows/${checkoutWorkflowId(checkoutId)}`;

describe('the Temporal Web UI with the codec server', { timeout: 120_000 }, () => {
  it("shows a signed-in operator the checkout's input decoded", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await withCodecSettings(context);
    const page = await context.newPage();
    await page.goto(`${stack.codec}/login`);
    await page.fill('input[name="key"]', 'dev_operator_key');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.textContent('body')).toContain('Signed in');

    await page.goto(workflowPage());
    await expect.poll(async () => (await page.content()).includes(EMAIL), { timeout: 60_000, interval: 1_000 }).toBe(true);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/web-ui-codec.png', fullPage: false });
    await context.close();
  });

  it('shows a browser that has not signed in no customer data', async () => {
    const context = await browser.newContext();
    await withCodecSettings(context);
    const page = await context.newPage();
    const refused: number[] = [];
    page.on('response', (r) => r.url().startsWith(stack.codec) && r.request().method() === 'POST' && refused.push(r.status()));
    await page.goto(workflowPage());
    await expect.poll(() => refused.length, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(refused.every((status) => status === 401)).toBe(true);
    expect(await page.content()).not.toContain(EMAIL);
    await context.close();
  });
});

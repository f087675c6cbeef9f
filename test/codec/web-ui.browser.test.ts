/**
 * The Temporal Web UI with the codec server, in a real browser (Debian's chromium via playwright-core),
 * against the local stack as `npm start` runs it: an operator signed in at the codec server sees a
 * checkout's input decoded, named timers and steps, and details that render whole; a browser that has not
 * signed in sees no customer data. Saves test-results/web-ui-codec.png, web-ui-timers.png and
 * web-ui-details.png (the screenshots in docs/observability.md and docs/security.md).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { checkoutWorkflowId } from '../../src/contracts/workflow.ts';
import type { StackDescription } from '../../src/local-stack/stack.ts';
import { checkoutRequest } from '../support/checkout-stack.ts';
import { startPrivateStack, type PrivateStack } from '../../harness/service-process.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const EMAIL = 'grace.hopper@example.com';

let local: PrivateStack;
let stack: StackDescription;
let browser: Browser;
let checkoutId: string;
let heldId: string;

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
  const held = await fetch(`${stack.api}/v1/checkouts`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev_merchant_key', 'content-type': 'application/json' },
    body: JSON.stringify(checkoutRequest({ token: 'tok_riskReview' })),
  });
  expect(held.status).toBe(202);
  const accepted = (await held.json()) as { id: string; links: Record<string, string> };
  heldId = accepted.id;
  // A merchant's answer does not point at the operators' Web UI.
  expect(accepted.links.workflow).toBeUndefined();
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

const workflowPage = (id = checkoutId) => `${stack.temporalUi}/namespaces/default/workflows/${checkoutWorkflowId(id)}`;

async function signedIn(context: BrowserContext) {
  await withCodecSettings(context);
  const page = await context.newPage();
  await page.goto(`${stack.codec}/login`);
  await page.fill('input[name="key"]', 'dev_operator_key');
  await page.click('button[type="submit"]');
  await expect.poll(() => page.textContent('body')).toContain('Signed in');
  return page;
}

/** How far the last non-blank block of a markdown pane reaches below the frame that shows it (≤ 0: all visible). */
async function overflowOfPane(page: Page, text: string): Promise<number> {
  const frame = page.frames().find((f) => f.url().includes('/render?content=') && decodeURIComponent(f.url()).includes(text));
  if (!frame) throw new Error(`no markdown pane showing ${text}`);
  const blocks = frame.locator('main > *').filter({ hasText: /\S/ });
  const bottom = await blocks.last().evaluate((block) => block.getBoundingClientRect().bottom);
  const height = await (await frame.frameElement()).evaluate((iframe) => iframe.getBoundingClientRect().height);
  return bottom - height;
}

describe('the Temporal Web UI with the codec server', { timeout: 120_000 }, () => {
  it("shows a signed-in operator the checkout's input decoded", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await signedIn(context);

    await page.goto(workflowPage());
    await expect.poll(async () => (await page.content()).includes(EMAIL), { timeout: 60_000, interval: 1_000 }).toBe(true);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/web-ui-codec.png', fullPage: false });
    await context.close();
  });

  it("names a held checkout's timer and steps, and shows its details whole", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await signedIn(context);
    await page.goto(workflowPage(heldId));
    // The timeline labels the timer by its summary, not "1 (1d)".
    await expect.poll(async () => (await page.textContent('body')) ?? '', { timeout: 60_000, interval: 1_000 }).toContain('review timeout (24h)');
    await page.screenshot({ path: 'test-results/web-ui-timers.png', fullPage: false });

    await page.getByText('User Metadata').first().click();
    await expect.poll(() => page.frames().some((f) => decodeURIComponent(f.url()).includes('awaiting_review')), { timeout: 30_000 }).toBe(true);
    for (const step of ['Reserve stock: 2× SKU-MUG', 'Score fraud risk', 'Release stock while held for review', 'review timeout (24h)']) {
      await expect.poll(async () => (await page.textContent('body')) ?? '', { timeout: 30_000 }).toContain(step);
    }
    // The priced lines render as a list, and neither pane cuts off its last line.
    const details = page.frames().find((f) => decodeURIComponent(f.url()).includes('merchant'))!;
    expect(await details.locator('li').allTextContents()).toEqual([expect.stringContaining('SKU-MUG')]);
    expect(await overflowOfPane(page, 'merchant')).toBeLessThanOrEqual(0);
    expect(await overflowOfPane(page, 'awaiting_review')).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/web-ui-details.png', fullPage: false });
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

/**
 * `/docs` in a real browser (Debian's chromium via playwright-core) with every request off this server blocked:
 * Swagger UI renders the API from `/openapi.json` without the internet. `npm test` installs chromium when it is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startApiServer, type RunningApiServer } from '../../api/server.ts';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { buildTestApp, openTestDatabase } from './support/test-app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let database: DatabaseHandle;
let server: RunningApiServer;
let browser: Browser;

describe('GET /docs in a browser, offline', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    server = await startApiServer({ app: buildTestApp(database).app, host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close({ graceMs: 100 });
    await database?.close();
  });

  it('renders every operation from local assets only', async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    const failed: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url)) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page.on('requestfailed', (request) => failed.push(request.url()));
    page.on('pageerror', (error) => failed.push(error.message));

    await page.goto(`${server.url}/docs`);
    await page.waitForSelector('.swagger-ui .info .title', { timeout: 20_000 });
    expect(await page.textContent('.swagger-ui .info .title')).toContain('Durable Checkout API');
    await page.waitForSelector('.opblock-summary-path');
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.getAttribute('data-path')));
    expect(paths).toEqual(expect.arrayContaining(['/v1/checkouts', '/v1/checkouts/{id}', '/v1/checkouts/{id}/cancel', '/v1/checkouts/{id}/review', '/v1/orders/{id}']));
    expect(await page.$('.btn.authorize')).not.toBeNull();
    expect(blocked).toEqual([]);
    expect(failed).toEqual([]);
  }, 60_000);
});

/**
 * `npm run client:render`: writes src/client/schema.d.ts — the types of every path, parameter, body and answer
 * of the API — from the OpenAPI document the app serves at /openapi.json, with openapi-typescript. `--check`
 * writes nothing and exits 1 when the file differs; test/docs/client-drift.test.ts fails until it matches.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { Registry } from 'prom-client';
import { createApp } from '../api/app.ts';
import type { AppDeps } from '../api/context.ts';
import { createLogger } from '../src/platform/logger.ts';

export const RENDER_COMMAND = 'npm run client:render';
export const SCHEMA_FILE = fileURLToPath(new URL('../src/client/schema.d.ts', import.meta.url));

/** A dependency the document never touches: building it reads the routes, and calls none of them. */
const untouched = <T extends object>(what: string): T =>
  new Proxy({} as T, {
    get(_target, property) {
      throw new Error(`building the OpenAPI document touched the ${what} (.${String(property)})`);
    },
  });

/** The OpenAPI document of the API, as `GET /openapi.json` serves it. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const deps: AppDeps = {
    checkouts: untouched('checkouts port'),
    refunds: untouched('refunds port'),
    webhooks: { keyring: untouched('payload keys'), allowPrivateUrls: false },
    db: untouched('database'),
    logger: createLogger({ level: 'silent' }),
    registry: new Registry(),
    readiness: {},
    auth: { merchants: [], operators: [] },
    api: { rateLimitPerMinute: 1, publicUrl: 'http://127.0.0.1:3000', ops: null },
    checkout: { reviewTimeoutMs: 1 },
  };
  const response = await createApp(deps).request('/openapi.json');
  return (await response.json()) as Record<string, unknown>;
}

/** The contents of src/client/schema.d.ts. */
export async function renderClientTypes(): Promise<string> {
  const ast = await openapiTS(JSON.stringify(await openApiDocument()));
  return `// Generated from the OpenAPI document by \`${RENDER_COMMAND}\` (scripts/render-client.ts): do not edit by hand.\n\n${astToString(ast)}`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rendered = await renderClientTypes();
  if (process.argv.includes('--check')) {
    const current = readFileSync(SCHEMA_FILE, 'utf8');
    if (current !== rendered) {
      console.error(`src/client/schema.d.ts differs from the OpenAPI document: run \`${RENDER_COMMAND}\``);
      process.exit(1);
    }
    console.log('src/client/schema.d.ts matches the OpenAPI document');
  } else {
    writeFileSync(SCHEMA_FILE, rendered);
    console.log(`wrote ${SCHEMA_FILE}`);
  }
}

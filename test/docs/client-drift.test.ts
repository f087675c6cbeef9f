/** The typed client's schema (src/client/schema.d.ts) is the OpenAPI document of today's routes, rendered by scripts/render-client.ts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RENDER_COMMAND, renderClientTypes, SCHEMA_FILE } from '../../scripts/render-client.ts';

describe('src/client/schema.d.ts', () => {
  it(`matches the OpenAPI document (run \`${RENDER_COMMAND}\` after changing a route or a schema)`, async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8'), `src/client/schema.d.ts differs from the OpenAPI document: run \`${RENDER_COMMAND}\``).toBe(await renderClientTypes());
  }, 30_000);
});

/**
 * docs/configuration.md's table of variables is what scripts/render-config-docs.ts renders from the environment
 * schema in src/config/index.ts: every variable the schema knows, with its default and its description.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DOC_FILE,
  RENDER_COMMAND,
  generatedPart,
  loadEnvSchema,
  renderConfigTable,
} from '../../scripts/render-config-docs.ts';

const doc = readFileSync(DOC_FILE, 'utf8');
const stale = `docs/configuration.md differs from src/config/index.ts: run \`${RENDER_COMMAND}\``;

describe('docs/configuration.md', () => {
  it(`holds the table rendered from src/config/index.ts (run \`${RENDER_COMMAND}\` after changing the schema)`, () => {
    expect(generatedPart(doc), stale).toBe(renderConfigTable(loadEnvSchema()));
  });

  it('lists every variable the schema knows, once, and no other', () => {
    const known = Object.keys(loadEnvSchema().shape);
    const listed = [...generatedPart(doc).matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!);
    expect(known.filter((name) => !listed.includes(name)), `variables missing from the doc; ${stale}`).toEqual([]);
    expect([...listed].sort(), stale).toEqual([...known].sort());
  });
});

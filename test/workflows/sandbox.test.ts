/** The workflow code bundles for Temporal's sandbox, and the lint rule that guards it catches violations. */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { bundleWorkflows } from '../../src/roles/checkout-worker.ts';

describe('workflow sandbox', () => {
  it('bundles the workflows with nothing the sandbox cannot load', async () => {
    const { code } = await bundleWorkflows();
    expect(code).toContain('checkoutWorkflow');
    expect(code.length).toBeGreaterThan(10_000);
  }, 60_000);

  it('rejects Node built-ins and value imports of activities in workflow files', async () => {
    const eslint = new ESLint();
    const source = [
      "import { readFileSync } from 'node:fs';",
      "import { createActivities } from '../activities/index.ts';",
      "import type { CheckoutActivities } from '../activities/index.ts';",
      'export const x = [readFileSync, createActivities] as unknown as CheckoutActivities;',
    ].join('\n');
    const [result] = await eslint.lintText(source, { filePath: 'workflows/bad-example.ts' });
    const messages = result!.messages.map((m) => m.message);
    expect(messages.some((m) => m.includes('Node built-ins'))).toBe(true);
    expect(messages.some((m) => m.includes('Import activities as types only'))).toBe(true);
    expect(result!.messages).toHaveLength(2);
  });
});

/**
 * Writes the workflow bundle a production worker loads with `workflowBundle: { codePath }`
 * (WORKFLOW_BUNDLE_PATH), so workers start without bundling. Usage: node --import tsx scripts/bundle-workflows.ts <out.js>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../src/roles/checkout-worker.ts';

const out = process.argv[2];
if (!out) {
  console.error('usage: node --import tsx scripts/bundle-workflows.ts <out.js>');
  process.exit(2);
}
const { code } = await bundleWorkflows();
mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
writeFileSync(out, code);
console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);

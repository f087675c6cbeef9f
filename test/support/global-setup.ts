/**
 * Starts the real parts shared by every integration test file: the pinned Temporal dev server (through
 * TestWorkflowEnvironment.createLocal with an existing-path executable: its default download cannot work
 * offline), the pinned nats-server on a free port, and one workflow bundle. Databases are made per file
 * (see database.ts), so reruns and parallel files never collide.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import 'vitest';
import type { TestProject } from 'vitest/node';
import { searchAttributes } from '../../src/contracts/workflow.ts';
import { startNatsServer } from '../../src/local-stack/nats-server.ts';
import { freePort } from '../../src/platform/ports.ts';
import { devServerTuningArgs } from '../../src/local-stack/temporal-tuning.ts';
import { ensureTools } from '../../src/local-stack/tools.ts';
import { bundleWorkflows } from '../../src/roles/checkout-worker.ts';

export interface TestInfra {
  temporalAddress: string;
  natsUrl: string;
  /** PostgreSQL server URL to create per-file databases on; null means PGlite in memory. */
  databaseUrl: string | null;
  workflowBundlePath: string;
  temporalCli: string;
  natsServer: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    infra: TestInfra;
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const tools = ensureTools();
  const dir = mkdtempSync(path.join(tmpdir(), 'durable-checkout-test-'));
  const [env, nats, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: tools.temporalCli },
        ip: '127.0.0.1',
        searchAttributes: Object.values(searchAttributes),
        log: { format: 'pretty', level: 'error' },
        extraArgs: devServerTuningArgs(),
      },
    }),
    freePort().then((port) => startNatsServer({ binary: tools.natsServer, host: '127.0.0.1', port, dir: path.join(dir, 'nats') })),
    bundleWorkflows(),
  ]);
  const workflowBundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  project.provide('infra', {
    temporalAddress: env.address,
    natsUrl: nats.url,
    databaseUrl: process.env.DATABASE_URL || null,
    workflowBundlePath,
    temporalCli: tools.temporalCli,
    natsServer: tools.natsServer,
  });
  console.log(`[global-setup] Temporal ${env.address}, NATS ${nats.url}, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'} (${Date.now() - started} ms)`);
  return async () => {
    await env.teardown();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

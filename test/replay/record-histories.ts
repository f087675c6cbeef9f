/**
 * Records one workflow history per branch of the checkout saga into `test/replay/histories/<branch>.json`
 * (and of the refund workflow into `histories/refunds/`),
 * for the replay test that guards running checkouts against incompatible workflow changes. Starts the same
 * servers as the integration tests (pinned Temporal dev server and nats-server; PostgreSQL at DATABASE_URL,
 * which worker processes share), runs every branch of test/replay/branches.ts, and stops them again.
 *
 *   npx tsx test/replay/record-histories.ts            # every branch
 *   npx tsx test/replay/record-histories.ts completed  # only the named ones
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { BRANCHES, checkOutcome, checkRefundOutcome, REFUND_BRANCHES } from './branches.ts';
import { startCheckoutStack } from '../support/checkout-stack.ts';
import startInfra, { type TestInfra } from '../support/global-setup.ts';
import { startGatewayProxy } from '../workflows/support/gateway-proxy.ts';

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const refundHistoriesDir = path.join(historiesDir, 'refunds');

async function main(only: string[]): Promise<void> {
  const known = [...BRANCHES, ...REFUND_BRANCHES].map((b) => b.name);
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`unknown branch ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const branches = only.length > 0 ? BRANCHES.filter((b) => only.includes(b.name)) : BRANCHES;
  const refundBranches = only.length > 0 ? REFUND_BRANCHES.filter((b) => only.includes(b.name)) : REFUND_BRANCHES;

  // Workers log warnings and errors only; the Runtime is per process and must be installed first.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // The integration tests' global setup, handed a project that only keeps what it provides.
  let infra: TestInfra | undefined;
  const project = { provide: (_key: string, value: TestInfra) => (infra = value) } as unknown as TestProject;
  const stopInfra = await startInfra(project);
  const [proxy, crashProxy] = await Promise.all([startGatewayProxy(), startGatewayProxy()]);
  try {
    if (!infra) throw new Error('the global setup provided no infra');
    if (!infra.databaseUrl) throw new Error('recording needs PostgreSQL (a branch runs worker processes that share its database): set DATABASE_URL');
    const [stack, quickReview, crashable] = await Promise.all([
      startCheckoutStack({ infra, env: { PRIMARY_GATEWAY_URL: proxy.url } }),
      startCheckoutStack({ infra, reviewTimeout: '2s' }),
      startCheckoutStack({ infra, worker: false, env: { PRIMARY_GATEWAY_URL: crashProxy.url } }),
    ]);
    proxy.target = stack.simulators.urls.gateways.primary;
    crashProxy.target = crashable.simulators.urls.gateways.primary;
    try {
      mkdirSync(refundHistoriesDir, { recursive: true });
      if (only.length === 0) {
        for (const dir of [historiesDir, refundHistoriesDir]) for (const file of readdirSync(dir)) if (file.endsWith('.json')) rmSync(path.join(dir, file));
      }
      for (const branch of branches) {
        const started = Date.now();
        const handle = await branch.run({ stack, proxy, quickReview, crashable, crashProxy });
        await checkOutcome(branch, handle);
        const history = await handle.fetchHistory();
        writeFileSync(path.join(historiesDir, `${branch.name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
        console.log(`recorded ${branch.name} (${history.events?.length ?? 0} events, ${Date.now() - started} ms)`);
      }
      for (const branch of refundBranches) {
        const started = Date.now();
        const handle = await branch.run({ stack, proxy, quickReview, crashable, crashProxy });
        await checkRefundOutcome(branch, handle);
        const history = await handle.fetchHistory();
        writeFileSync(path.join(refundHistoriesDir, `${branch.name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
        console.log(`recorded ${branch.name} (${history.events?.length ?? 0} events, ${Date.now() - started} ms)`);
      }
    } finally {
      await Promise.all([stack.stop(), quickReview.stop(), crashable.stop()]);
    }
  } finally {
    await Promise.all([proxy.close(), crashProxy.close()]);
    await stopInfra();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * Fairness between merchants on the checkout task queue (Temporal server 1.32 with `matching.enableFairness`,
 * deploy/temporal-dynamic-config.yaml): one merchant's flash sale fills the queue while no worker runs, then
 * another merchant sends a few checkouts, then a worker starts. The queue takes turns between the two
 * merchants, so the second merchant's checkouts are done while most of the sale still waits — first in,
 * first out they would wait behind the whole sale. Run with `npm run test:server` (part of `npm test`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/config/auth.ts';
import { freePort } from '../../src/platform/ports.ts';
import { waitFor } from '../support/wait-for.ts';
import { startCheckout, startTopology, type Topology } from './support/topology.ts';

const SALE = 160;
const OTHERS = 5;
const FLASH_SALE_KEY = 'flash_sale_merchant_key';

let topology: Topology;
let api: string;

beforeAll(async () => {
  topology = await startTopology('fairness', { MERCHANTS: `mer_flash:${hashApiKey(FLASH_SALE_KEY)}` });
  api = await topology.api('api');
}, 300_000);

afterAll(async () => {
  await topology?.stop();
}, 120_000);

const headers = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

async function startCheckouts(key: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  // Eight at a time: the sale is queued within seconds.
  for (let i = 0; i < count; i += 8) {
    ids.push(...(await Promise.all(Array.from({ length: Math.min(8, count - i) }, () => startCheckout(api, 'tok_visa', headers(key))))));
  }
  return ids;
}

/** When each checkout's workflow closed, waiting until all have (asking again only for those still open). */
async function closeTimes(ids: string[]): Promise<number[]> {
  const closed = new Map<string, number>();
  await waitFor(
    async () => {
      const open = ids.filter((id) => !closed.has(id));
      for (const id of open) {
        const { closeTime } = await topology.client.workflow.getHandle(`checkout-${id}`).describe();
        if (closeTime) closed.set(id, closeTime.getTime());
      }
      return closed.size === ids.length;
    },
    { what: `${ids.length} checkouts closed`, timeoutMs: 150_000, intervalMs: 2_000 },
  );
  return ids.map((id) => closed.get(id)!);
}

describe('a flash sale of one merchant', { timeout: 240_000 }, () => {
  it("does not hold another merchant's checkouts behind it", async () => {
    // No worker yet: every checkout's first task waits in the queue, the sale's ahead of the others'.
    const sale = await startCheckouts(FLASH_SALE_KEY, SALE);
    const others = await startCheckouts('dev_merchant_key', OTHERS);
    await topology.role('worker', ['worker'], { WORKER_METRICS_PORT: String(await freePort()) }, 'worker polling');

    const [saleClosed, othersClosed] = await Promise.all([closeTimes(sale), closeTimes(others)]);
    saleClosed.sort((a, b) => a - b);
    const othersDone = Math.max(...othersClosed);
    const saleDoneBefore = saleClosed.filter((t) => t < othersDone).length;
    console.log(`fairness: the other merchant's ${OTHERS} checkouts were done when ${saleDoneBefore} of the sale's ${SALE} were`);
    // First in, first out, the other merchant's checkouts are done after all of the sale's (160 of 160 here
    // with fairness off). Taking turns, they wait for the sale's tasks the worker took in its first polls
    // (its slots: about 40 here), and a share of the rest.
    expect(saleDoneBefore).toBeLessThan(SALE / 2);
  });
});

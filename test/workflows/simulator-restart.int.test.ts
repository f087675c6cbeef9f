/**
 * The gateway simulators restarted in the middle of a batch, as in a fault run: with their journals they
 * come back knowing every authorization, so captures and voids go on and no compensation is left stuck.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CheckoutView } from '../../src/contracts/checkout.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants } from '../support/invariants.ts';
import { waitFor } from '../support/wait-for.ts';
import { fetchLedgers } from '../support/invariants.ts';
import { newCustomer } from './support/world.ts';

const stateDir = mkdtempSync(path.join(tmpdir(), 'simulator-state-'));
let stack: CheckoutStack;
beforeAll(async () => {
  // Slow simulators, so the restart lands while checkouts are between authorization and capture or void.
  stack = await startCheckoutStack({ simulatorStateDir: stateDir, simulatorLatencyMs: 300 });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

it('loses no authorization when the gateways restart mid-batch: every checkout settles, none is escalated', async () => {
  const tokens = ['tok_visa', 'tok_captureFails', 'tok_visa', 'tok_captureFails', 'tok_visa', 'tok_captureFails', 'tok_visa', 'tok_captureFails'];
  const started = await Promise.all(tokens.map((token) => stack.start({ token, customer: newCustomer() })));
  // Restart once some checkouts hold authorizations that are not settled yet.
  await waitFor(async () => {
    const { primary } = await fetchLedgers(stack);
    return primary.filter((e) => e.kind === 'authorization').length >= 3 ? true : undefined;
  }, { what: 'three authorizations' });
  await stack.restartSimulators();

  const results = await Promise.all(started.map(async ({ handle }) => (await handle.result()) as CheckoutView));
  expect(results.map((r) => r.status)).toEqual(tokens.map((t) => (t === 'tok_visa' ? 'completed' : 'failed')));
  expect(results.every((r) => (r.compensation?.escalated ?? []).length === 0)).toBe(true);
  await assertWorldInvariants(stack, started.map((s) => s.checkoutId));
});

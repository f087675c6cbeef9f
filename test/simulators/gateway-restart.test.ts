/** A gateway simulator with a journal remembers across a restart what a real gateway would: nothing is lost. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../src/roles/simulators.ts';
import { authorize, ledger, post } from './support/http.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a gateway simulator restarted with its journal', () => {
  const journalFile = path.join(dir, 'primary-gateway.jsonl');
  const start = () => createGatewayApp({ name: 'primary', journalFile });

  it('keeps its ledger, its authorizations and captures, and the answers of every idempotency key', async () => {
    const before = start();
    const auth = await authorize(before, 'chk_kept', 'tok_visa');
    const capture = await post(before, `/v1/authorizations/${auth.body.id}/capture`, {}, 'chk_kept:capture');
    const other = await authorize(before, 'chk_kept_2', 'tok_visa');
    expect([auth.status, capture.status, other.status]).toEqual([200, 200, 200]);

    const after = start(); // the process died and came back
    expect((await ledger(after)).map((e) => `${e.checkoutId} ${e.kind} ${e.id}`)).toEqual([
      `chk_kept authorization ${auth.body.id}`,
      `chk_kept capture ${capture.body.id}`,
      `chk_kept_2 authorization ${other.body.id}`,
    ]);
    // A retry with the same key is answered as before, not performed again.
    const retried = await authorize(after, 'chk_kept', 'tok_visa');
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(auth.body);
    // The state behind the ledger came back too: a captured authorization is not voided, a live one is.
    expect((await post(after, `/v1/authorizations/${auth.body.id}/void`, {}, 'chk_kept:void')).body.error.code).toBe('already_captured');
    expect((await post(after, `/v1/authorizations/${other.body.id}/void`, {}, 'chk_kept_2:void')).status).toBe(200);
    const refund = await post(after, `/v1/captures/${capture.body.id}/refund`, {}, 'chk_kept:refund');
    expect(refund.status).toBe(200);

    const third = start();
    expect((await post(third, `/v1/captures/${capture.body.id}/refund`, {}, 'chk_kept:refund-again')).body.error.code).toBe('already_refunded');
    expect((await ledger(third)).map((e) => e.kind)).toEqual(['authorization', 'capture', 'authorization', 'void', 'refund']);
  });

  it('ignores a last line cut off by a crash, and refuses a journal broken in the middle', () => {
    const cut = path.join(dir, 'cut.jsonl');
    const whole = readFileSync(journalFile, 'utf8');
    writeFileSync(cut, `${whole}{"effect":{"kind":"auth`);
    expect(() => createGatewayApp({ name: 'primary', journalFile: cut })).not.toThrow();
    const broken = path.join(dir, 'broken.jsonl');
    writeFileSync(broken, `not json\n${whole}`);
    expect(() => createGatewayApp({ name: 'primary', journalFile: broken })).toThrow(/broken\.jsonl: line 1 is not JSON/);
  });
});

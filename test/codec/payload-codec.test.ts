/** The payload codec: what Temporal stores is unreadable without a key, keys rotate, bad payloads fail by name. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createPayloadCodec, displayCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError, WORKFLOW_ID_METADATA } from '../../src/platform/codec/payload-codec.ts';
import { developmentKeyring, generatePayloadKey, parsePayloadKeys } from '../../src/platform/codec/payload-keys.ts';

const keyringOf = (activeKeyId: string, ...entries: string[]) => ({ activeKeyId, keys: parsePayloadKeys(entries.join(',')) });
const oldKey = generatePayloadKey('2026-06');
const newKey = generatePayloadKey('2026-12');
const secret = { payment: { token: 'tok_visa' }, customer: { email: 'ada@example.com', name: 'Ada Lovelace' } };
/** The workflow the payloads below belong to, as the SDK names it to the codec. */
const WORKFLOW = { type: 'workflow' as const, namespace: 'default', workflowId: 'checkout-chk_1' };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('latin1');

describe('payload codec', () => {
  it('seals a payload so neither its data nor its encoding is readable, and opens it again', async () => {
    const codec = createPayloadCodec(keyringOf('2026-12', newKey));
    const plain = defaultPayloadConverter.toPayload(secret);
    const [sealed] = await codec.encode([plain], WORKFLOW);
    expect(text(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed!.metadata![KEY_ID_METADATA])).toBe('2026-12');
    for (const needle of ['tok_visa', 'ada@example.com', 'Ada Lovelace', 'json/plain']) expect(text(sealed!.data)).not.toContain(needle);
    const [opened] = await codec.decode([sealed!], WORKFLOW);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(secret);
  });

  it('uses a fresh IV for every payload: the same value never seals to the same bytes', async () => {
    const codec = createPayloadCodec(keyringOf('2026-12', newKey));
    const plain = defaultPayloadConverter.toPayload(secret);
    const [a, b] = await codec.encode([plain, plain], WORKFLOW);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: payloads sealed under the old key still open, new ones use the new key', async () => {
    const before = createPayloadCodec(keyringOf('2026-06', oldKey));
    const [old] = await before.encode([defaultPayloadConverter.toPayload(secret)], WORKFLOW);
    const after = createPayloadCodec(keyringOf('2026-12', newKey, oldKey));
    const [opened] = await after.decode([old!], WORKFLOW);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(secret);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload(secret)], WORKFLOW);
    expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('2026-12');
    // A process that only has the old key cannot read what the new key sealed.
    await expect(before.decode([fresh!], WORKFLOW)).rejects.toThrow(/key id "2026-12", which is not configured/);
  });

  it('names the key id of a payload sealed with an unknown key', async () => {
    const [sealed] = await createPayloadCodec(keyringOf('2026-06', oldKey)).encode([defaultPayloadConverter.toPayload(1)], WORKFLOW);
    const other = createPayloadCodec(keyringOf('2026-12', newKey));
    const failure = await other.decode([sealed!], WORKFLOW).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PayloadDecryptionError);
    expect((failure as Error).message).toContain('"2026-06"');
    expect((failure as Error).message).toContain('known: 2026-12');
  });

  it('refuses a payload that was altered, or sealed with another key under the same id', async () => {
    const codec = createPayloadCodec(keyringOf('k', generatePayloadKey('k')));
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('x')], WORKFLOW);
    const altered: Payload = { ...sealed!, data: Buffer.from(sealed!.data!).map((byte, i) => (i === 20 ? byte ^ 1 : byte)) };
    await expect(codec.decode([altered], WORKFLOW)).rejects.toThrow(/does not decrypt with key id "k"/);
    await expect(createPayloadCodec(keyringOf('k', generatePayloadKey('k'))).decode([sealed!], WORKFLOW)).rejects.toThrow(/does not decrypt/);
    await expect(codec.decode([{ metadata: sealed!.metadata, data: new Uint8Array(5) }], WORKFLOW)).rejects.toThrow(/too short/);
  });

  it('refuses a payload that was never encrypted: only a holder of the keys can hand the service input', async () => {
    const plain = defaultPayloadConverter.toPayload(secret);
    await expect(createPayloadCodec(keyringOf('k', generatePayloadKey('k'))).decode([plain], WORKFLOW)).rejects.toThrow(/a payload is not encrypted \(encoding "json\/plain"\).*PAYLOADS_PLAINTEXT=accept/);
  });

  it('passes it through when told to accept plaintext (the codec server, or histories begun before encryption)', async () => {
    const plain = defaultPayloadConverter.toPayload(secret);
    const [opened] = await createPayloadCodec(keyringOf('k', generatePayloadKey('k')), { plaintext: 'accept' }).decode([plain], WORKFLOW);
    expect(opened).toBe(plain);
  });
});

describe('a payload bound to its workflow', () => {
  const keyring = keyringOf('k', generatePayloadKey('k'));
  const codec = createPayloadCodec(keyring);
  const forWorkflow = (workflowId: string, namespace = 'default') => ({ type: 'workflow' as const, namespace, workflowId });
  const approval = defaultPayloadConverter.toPayload({ decision: 'approve', operator: 'opr_ops' });

  it('opens for the workflow it was sealed for, and for the activities it runs', async () => {
    const [sealed] = await codec.encode([approval], forWorkflow('checkout-chk_a'));
    expect(text(sealed!.metadata![WORKFLOW_ID_METADATA])).toBe('checkout-chk_a');
    expect(defaultPayloadConverter.fromPayload(((await codec.decode([sealed!], forWorkflow('checkout-chk_a'))) as Payload[])[0]!)).toEqual({ decision: 'approve', operator: 'opr_ops' });
    const activity = { type: 'activity' as const, namespace: 'default', workflowId: 'checkout-chk_a', activityId: '3', isLocal: true };
    const [fromActivity] = await codec.encode([approval], activity);
    await expect(codec.decode([fromActivity!], forWorkflow('checkout-chk_a'))).resolves.toHaveLength(1);
  });

  it('is refused by another workflow, or the same workflow id in another namespace', async () => {
    const [sealed] = await codec.encode([approval], forWorkflow('checkout-chk_a'));
    await expect(codec.decode([sealed!], forWorkflow('checkout-chk_b'))).rejects.toThrow(/sealed for workflow "checkout-chk_a" .* handed to workflow "checkout-chk_b".*cannot move between workflows/);
    await expect(codec.decode([sealed!], forWorkflow('checkout-chk_a', 'other'))).rejects.toThrow(PayloadDecryptionError);
  });

  it('does not open once the workflow it names is rewritten: the name is part of the seal', async () => {
    const [sealed] = await codec.encode([approval], forWorkflow('checkout-chk_a'));
    const renamed: Payload = { ...sealed!, metadata: { ...sealed!.metadata, [WORKFLOW_ID_METADATA]: Buffer.from('checkout-chk_b') } };
    await expect(codec.decode([renamed], forWorkflow('checkout-chk_b'))).rejects.toThrow(/does not decrypt with key id "k": it was altered/);
    // Without a workflow to compare with (the codec server), the seal still catches it.
    await expect(displayCodec(keyring).decode([renamed])).rejects.toThrow(/does not decrypt/);
  });

  it('refuses a payload sealed before binding unless told to accept them; the codec server shows it', async () => {
    const [unbound] = await codec.encode([approval]);
    await expect(codec.decode([unbound!], forWorkflow('checkout-chk_a'))).rejects.toThrow(/not bound to a workflow.*PAYLOADS_UNBOUND=accept/);
    await expect(createPayloadCodec(keyring, { unbound: 'accept' }).decode([unbound!], forWorkflow('checkout-chk_a'))).resolves.toHaveLength(1);
    await expect(displayCodec(keyring).decode([unbound!])).resolves.toHaveLength(1);
    // A bound payload stripped of its workflow does not pass for an old one: the seal covered the workflow.
    const [bound] = await codec.encode([approval], forWorkflow('checkout-chk_a'));
    const { [WORKFLOW_ID_METADATA]: _dropped, ...stripped } = bound!.metadata!;
    await expect(createPayloadCodec(keyring, { unbound: 'accept' }).decode([{ ...bound!, metadata: stripped }], forWorkflow('checkout-chk_b'))).rejects.toThrow(/does not decrypt/);
  });
});

describe('payload keys', () => {
  it('parses id:base64key lists and names what is wrong without printing key material', () => {
    expect([...parsePayloadKeys(`${oldKey}, ${newKey}`).keys()]).toEqual(['2026-06', '2026-12']);
    expect(() => parsePayloadKeys('')).toThrow(/at least one key/);
    expect(() => parsePayloadKeys('no-colon')).toThrow(/entry 1 must be id:base64key/);
    expect(() => parsePayloadKeys('short:c2hvcnQ=')).toThrow(/key "short" must be 32 bytes/);
    expect(() => parsePayloadKeys(`${oldKey},${oldKey}`)).toThrow(/listed twice/);
    const failure = (() => {
      try {
        parsePayloadKeys('k:not*base64');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(failure).toContain('key "k"');
    expect(failure).not.toContain('not*base64');
  });

  it('generates the development key once, readable by its owner only, and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'payload-keys-'));
    const first = developmentKeyring(dir);
    const second = developmentKeyring(dir);
    expect(first.activeKeyId).toBe('dev-1');
    expect(second.keys.get('dev-1')!.equals(first.keys.get('dev-1')!)).toBe(true);
    expect(statSync(path.join(dir, 'payload-keys')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'payload-keys'), 'utf8')).toMatch(/^dev-1:/);
  });
});

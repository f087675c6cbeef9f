/** The payload codec: what Temporal stores is unreadable without a key, keys rotate, bad payloads fail by name. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../src/codec/payload-codec.ts';
import { developmentKeyring, generatePayloadKey, parsePayloadKeys } from '../../src/codec/payload-keys.ts';

const keyringOf = (activeKeyId: string, ...entries: string[]) => ({ activeKeyId, keys: parsePayloadKeys(entries.join(',')) });
const oldKey = generatePayloadKey('2026-06');
const newKey = generatePayloadKey('2026-12');
const secret = { payment: { token: 'tok_visa' }, customer: { email: 'ada@example.com', name: 'Ada Lovelace' } };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('latin1');

describe('payload codec', () => {
  it('seals a payload so neither its data nor its encoding is readable, and opens it again', async () => {
    const codec = createPayloadCodec(keyringOf('2026-12', newKey));
    const plain = defaultPayloadConverter.toPayload(secret);
    const [sealed] = await codec.encode([plain]);
    expect(text(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed!.metadata![KEY_ID_METADATA])).toBe('2026-12');
    for (const needle of ['tok_visa', 'ada@example.com', 'Ada Lovelace', 'json/plain']) expect(text(sealed!.data)).not.toContain(needle);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(secret);
  });

  it('uses a fresh IV for every payload: the same value never seals to the same bytes', async () => {
    const codec = createPayloadCodec(keyringOf('2026-12', newKey));
    const plain = defaultPayloadConverter.toPayload(secret);
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: payloads sealed under the old key still open, new ones use the new key', async () => {
    const before = createPayloadCodec(keyringOf('2026-06', oldKey));
    const [old] = await before.encode([defaultPayloadConverter.toPayload(secret)]);
    const after = createPayloadCodec(keyringOf('2026-12', newKey, oldKey));
    const [opened] = await after.decode([old!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(secret);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload(secret)]);
    expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('2026-12');
    // A process that only has the old key cannot read what the new key sealed.
    await expect(before.decode([fresh!])).rejects.toThrow(/key id "2026-12", which is not configured/);
  });

  it('names the key id of a payload sealed with an unknown key', async () => {
    const [sealed] = await createPayloadCodec(keyringOf('2026-06', oldKey)).encode([defaultPayloadConverter.toPayload(1)]);
    const other = createPayloadCodec(keyringOf('2026-12', newKey));
    const failure = await other.decode([sealed!]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PayloadDecryptionError);
    expect((failure as Error).message).toContain('"2026-06"');
    expect((failure as Error).message).toContain('known: 2026-12');
  });

  it('refuses a payload that was altered, or sealed with another key under the same id', async () => {
    const codec = createPayloadCodec(keyringOf('k', generatePayloadKey('k')));
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const altered: Payload = { ...sealed!, data: Buffer.from(sealed!.data!).map((byte, i) => (i === 20 ? byte ^ 1 : byte)) };
    await expect(codec.decode([altered])).rejects.toThrow(/does not decrypt with key id "k"/);
    await expect(createPayloadCodec(keyringOf('k', generatePayloadKey('k'))).decode([sealed!])).rejects.toThrow(/does not decrypt/);
    await expect(codec.decode([{ metadata: sealed!.metadata, data: new Uint8Array(5) }])).rejects.toThrow(/too short/);
  });

  it('refuses a payload that was never encrypted: only a holder of the keys can hand the service input', async () => {
    const plain = defaultPayloadConverter.toPayload(secret);
    await expect(createPayloadCodec(keyringOf('k', generatePayloadKey('k'))).decode([plain])).rejects.toThrow(/a payload is not encrypted \(encoding "json\/plain"\).*PAYLOADS_PLAINTEXT=accept/);
  });

  it('passes it through when told to accept plaintext (the codec server, or histories begun before encryption)', async () => {
    const plain = defaultPayloadConverter.toPayload(secret);
    const [opened] = await createPayloadCodec(keyringOf('k', generatePayloadKey('k')), { plaintext: 'accept' }).decode([plain]);
    expect(opened).toBe(plain);
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

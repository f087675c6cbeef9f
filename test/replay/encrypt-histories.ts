/**
 * Encrypts the payloads of exported histories in place with the fixtures' test key, as a worker with the
 * payload codec would have written them: `npm run histories:encrypt [dir…]` (default: every fixture folder).
 * Payloads already encrypted are left alone, so running it twice changes nothing.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPayloadCodec, ENCRYPTED_ENCODING } from '../../src/platform/codec/payload-codec.ts';
import { codecPayloadsOf, payloadFromJson, payloadToJson } from '../../src/platform/codec/payload-json.ts';
import { testKeyring } from '../../harness/payload-keys.ts';

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const codec = createPayloadCodec(testKeyring());
const encrypted = Buffer.from(ENCRYPTED_ENCODING).toString('base64');

async function encryptFile(file: string): Promise<number> {
  const history = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  let sealed = 0;
  for (const payload of codecPayloadsOf(history)) {
    if (payload.metadata?.encoding === encrypted) continue;
    const [result] = await codec.encode([payloadFromJson(payload)]);
    Object.assign(payload, payloadToJson(result!));
    sealed += 1;
  }
  if (sealed > 0) writeFileSync(file, `${JSON.stringify(history, null, 2)}\n`);
  return sealed;
}

const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [historiesDir, ...readdirSync(historiesDir).map((d) => path.join(historiesDir, d)).filter((d) => statSync(d).isDirectory())];
for (const dir of dirs) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const sealed = await encryptFile(path.join(dir, file));
    console.log(`${path.relative(process.cwd(), path.join(dir, file))}: ${sealed} payloads encrypted`);
  }
}

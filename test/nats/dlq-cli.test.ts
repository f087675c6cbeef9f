/**
 * `npm run dlq -- show SEQ`, the command itself over a real nats-server: an operator sees a dead letter with
 * its personal data masked unless asked with `--reveal`, for an event whose contact is in clear and for a
 * message that is not JSON. (`redactJson` and `redactPersonalData` alone: test/subscribers/email-templates.test.ts.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../src/platform/nats/dead-letters.ts';
import { DEFAULT_STREAM_NAMES, ensureCheckoutStream, eventSubjectFor } from '../../src/platform/nats/provision.ts';
import { sampleEvent, startFailingConsumer, startNatsServer, waitForDeadLetters, type NatsServerHandle } from './support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The CLI reads the service's stream names: this server is the test's alone. */
const names = DEFAULT_STREAM_NAMES;

const CUSTOMER = { id: 'cus_dlq', email: 'grace.hopper@navy.example', name: 'Grace Hopper', phone: '+15550100123' };
/** A message that is no event: its text is masked by pattern. */
const POISON = `customer ${CUSTOMER.email} paid with tok_visa4242, call ${CUSTOMER.phone}`;

let server: NatsServerHandle;
let nc: NatsConnection;
let dataDir: string;
let event: DeadLetter;
let poison: DeadLetter;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await server.connect('dlq-cli-test');
  dataDir = mkdtempSync(path.join(tmpdir(), 'dlq-cli-'));
  await ensureCheckoutStream(nc, names, { policy: { backoffMs: [100, 200], maxDeliver: 3 }, consumers: ['a'] });
  // A handler whose error names the customer, as an SMTP server's refusal would.
  const loop = await startFailingConsumer(nc, names, 'a', `550 mailbox ${CUSTOMER.email} unavailable`);
  try {
    // A published event holds its contact sealed: the dead letters that show one in clear are version-1
    // events (stored before contacts were sealed, or forged), kept as they were sent.
    const clear = sampleEvent('checkout.completed', { data: { customer: CUSTOMER } });
    await nc.jetstream().publish(eventSubjectFor(names, clear), JSON.stringify(clear), { msgID: clear.id });
    await nc.jetstream().publish(`${names.subjectPrefix}.poison`, POISON);
    const letters = await waitForDeadLetters(nc, names, 2, 20_000);
    event = letters.find((l) => l.eventId === clear.id)!;
    poison = letters.find((l) => l !== event)!;
  } finally {
    await loop.stop();
  }
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `npm run dlq -- <args>` as the package script does, against the test's nats-server only. */
async function dlq(...args: string[]): Promise<string> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NATS_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts', 'dlq', ...args], { cwd: ROOT, env, timeout: 30_000 });
  return stdout;
}

const line = (output: string, label: string) => output.split('\n').find((l) => l.startsWith(label)) ?? '';

describe('npm run dlq -- show', { timeout: 60_000 }, () => {
  it('masks the personal data of an event by default, the reason included', async () => {
    const shown = await dlq('show', String(event.dlqSeq));
    expect(shown).toContain('data (personal data masked; --reveal shows it)');
    for (const secret of [CUSTOMER.email, CUSTOMER.name, CUSTOMER.phone]) expect(shown).not.toContain(secret);
    expect(shown).toContain('"email": "g***@navy.example"');
    expect(shown).toContain('"name": "G***"');
    expect(shown).toContain('"phone": "+***23"');
    // What is no one's personal data stays readable.
    expect(shown).toContain(`"id": "${CUSTOMER.id}"`);
    expect(line(shown, 'reason')).toContain('g***@navy.example');
  });

  it('shows the event as it was sent with --reveal, but the reason as it was stored (masked)', async () => {
    const shown = await dlq('show', String(event.dlqSeq), '--reveal');
    expect(shown).toContain('data (revealed)');
    expect(shown).toContain(`"email": "${CUSTOMER.email}"`);
    expect(shown).toContain(`"name": "${CUSTOMER.name}"`);
    expect(shown).toContain(`"phone": "${CUSTOMER.phone}"`);
    expect(line(shown, 'reason')).not.toContain(CUSTOMER.email);
  });

  it('masks a message that is not JSON by pattern, and reveals it with --reveal', async () => {
    const masked = await dlq('show', String(poison.dlqSeq));
    for (const secret of [CUSTOMER.email, 'tok_visa4242', CUSTOMER.phone]) expect(masked).not.toContain(secret);
    expect(masked).toContain('customer g***@navy.example paid with tok_***, call +***23');
    const revealed = await dlq('show', String(poison.dlqSeq), '--reveal');
    expect(revealed).toContain(POISON);
  });
});

describe('npm run dlq -- … --json (the image runs the same entrypoint: docker run <image> dlq …)', { timeout: 60_000 }, () => {
  it('lists and shows dead letters as JSON for scripts, personal data masked unless revealed', async () => {
    const listed = JSON.parse(await dlq('list', '--json')) as { dlqSeq: number; eventId: string | null }[];
    expect(listed.map((l) => l.dlqSeq)).toEqual(expect.arrayContaining([event.dlqSeq, poison.dlqSeq]));
    const shown = JSON.parse(await dlq('show', String(event.dlqSeq), '--json')) as { dlqSeq: number; original: { data: { data: { customer: { email: string; id: string } } } } };
    expect(shown.dlqSeq).toBe(event.dlqSeq);
    expect(shown.original.data.data.customer).toMatchObject({ email: 'g***@navy.example', id: CUSTOMER.id });
    const revealed = JSON.parse(await dlq('show', String(event.dlqSeq), '--json', '--reveal')) as typeof shown;
    expect(revealed.original.data.data.customer.email).toBe(CUSTOMER.email);
    // Without --yes, nothing is deleted: it says how many would be.
    expect(JSON.parse(await dlq('purge', '--json'))).toEqual({ wouldPurge: listed.length });
  });
});

describe('npm run dlq -- <a command line it does not take>', { timeout: 60_000 }, () => {
  it('is refused with exit status 2 and the usage, naming the flag or argument, before touching anything', async () => {
    for (const [args, named] of [
      [['list', '--consumr', 'email'], "Unknown option '--consumr'"],
      [['purge', 'now'], 'unexpected argument "now"'],
      [['list', '--consumer'], "Option '--consumer <value>' argument missing"],
    ] as const) {
      const failed = (await dlq(...args).then(
        () => null,
        (error: unknown) => error,
      )) as { code: number; stderr: string } | null;
      expect(failed?.code, args.join(' ')).toBe(2);
      expect(failed?.stderr, args.join(' ')).toContain(named);
      expect(failed?.stderr, args.join(' ')).toContain('usage: npm run dlq');
    }
  });
});

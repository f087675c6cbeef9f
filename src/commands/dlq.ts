/**
 * `npm run dlq -- list | show <seq> | replay <seq|all> [--consumer name] | purge --yes` (`--json` for scripts): the dead letters of the
 * checkout event stream, for operators. Replay sends a dead letter back to the consumer that gave up on it.
 */
import { ConfigError, loadConfig } from '../config/index.ts';
import { readCommandLine, UsageError } from '../platform/command-line.ts';
import { redactJson, redactPersonalData } from '../platform/redact.ts';
import { natsTargetOf } from '../roles/shared-deps.ts';
import { connectNats } from '../platform/nats/connection.ts';
import {
  listDeadLetters,
  purgeDeadLetters,
  replayAllDeadLetters,
  replayDeadLetter,
  showDeadLetter,
  type DeadLetter,
  type DeadLetterDeps,
} from '../platform/nats/dead-letters.ts';
import { DEFAULT_STREAM_NAMES, deadLetterStreamName } from '../platform/nats/provision.ts';

const USAGE = `usage: npm run dlq -- <command> [--json]     (in the image: docker run <image> dlq <command>)
  list [--consumer NAME]          open dead letters, oldest first
  show SEQ [--reveal]             one dead letter with its original message, personal data masked
                                  (--reveal: as it was sent)
  replay SEQ|all [--consumer NAME] send dead letters back to the consumer that gave up on them
  purge --yes                     delete every dead letter`;


/** Fixed-width columns; the last column is cut so a row stays on one line. */
function table(headers: string[], rows: string[][], lastMax = 70): string {
  const cut = rows.map((r) => r.map((cell, i) => (i === r.length - 1 && cell.length > lastMax ? `${cell.slice(0, lastMax - 1)}…` : cell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cut.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cut.map(line)].join('\n');
}

const listRows = (letters: DeadLetter[]) =>
  letters.map((l) => [String(l.dlqSeq), l.consumer, String(l.streamSeq), l.eventId ?? '?', String(l.deliveries), l.at.slice(0, 19).replace('T', ' '), l.reason]);

function seqArg(value: string | undefined): number {
  const seq = Number(value);
  if (!value || !Number.isInteger(seq) || seq <= 0) throw new UsageError(`expected a dead-letter sequence number, got "${value ?? ''}"`);
  return seq;
}

/** What the command line asks for, beside the command and its target. */
interface Flags {
  consumer?: string;
  reveal?: boolean;
  yes?: boolean;
  /** The answer as JSON (for scripts) instead of a table. */
  json?: boolean;
}

async function run(command: string | undefined, target: string | undefined, flags: Flags, deps: DeadLetterDeps): Promise<string> {
  switch (command) {
    case 'list': {
      const { consumer } = flags;
      const letters = (await listDeadLetters(deps)).filter((l) => !consumer || l.consumer === consumer);
      if (flags.json) return JSON.stringify(letters, null, 2);
      if (letters.length === 0) return `no dead letters in ${deadLetterStreamName(deps.names)}`;
      return `${table(['SEQ', 'CONSUMER', 'STREAM_SEQ', 'EVENT', 'DELIVERIES', 'AT (UTC)', 'REASON'], listRows(letters))}\n\n${letters.length} dead letter(s)`;
    }
    case 'show': {
      const letter = await showDeadLetter(deps, seqArg(target));
      if (flags.json) {
        const original = letter.original ? { headers: letter.original.headers, data: dataAsJson(letter.original.data, { reveal: flags.reveal === true }) } : null;
        return JSON.stringify({ ...letter, original }, null, 2);
      }
      const fields: [string, string][] = [
        ['dead letter', `${letter.dlqSeq} (stream messages ${letter.dlqSeqs.join(', ')}; source ${letter.source})`],
        ['consumer', letter.consumer],
        ['original', `${letter.stream} #${letter.streamSeq} on ${letter.subject ?? '?'}`],
        ['event', letter.eventId ?? '?'],
        ['deliveries', String(letter.deliveries)],
        ['at', letter.at],
        ['reason', letter.reason],
      ];
      const out = fields.map(([k, v]) => `${k.padEnd(12)} ${v}`);
      if (!letter.original) return [...out, '', letter.originalMissing ?? 'original unavailable'].join('\n');
      const headers = Object.entries(letter.original.headers).flatMap(([k, vs]) => vs.map((v) => `  ${k}: ${v}`));
      const reveal = flags.reveal === true;
      const data = [reveal ? 'data (revealed)' : 'data (personal data masked; --reveal shows it)', prettyData(letter.original.data, { reveal })];
      return [...out, '', 'headers', ...(headers.length ? headers : ['  (none)']), '', ...data].join('\n');
    }
    case 'replay': {
      const results = target === 'all' ? await replayAllDeadLetters(deps, { consumer: flags.consumer }) : [await replayDeadLetter(deps, seqArg(target))];
      if (flags.json) return JSON.stringify(results, null, 2);
      if (results.length === 0) return 'nothing to replay';
      const rows = results.map((r) => [String(r.dlqSeq), r.consumer, r.subject, String(r.seq), r.duplicate ? 'yes (already replayed)' : 'no']);
      return `${table(['SEQ', 'CONSUMER', 'REPUBLISHED_ON', 'NEW_STREAM_SEQ', 'DUPLICATE'], rows)}\n\n${results.length} replayed`;
    }
    case 'purge': {
      const count = (await listDeadLetters(deps)).length;
      if (!flags.yes) return flags.json ? JSON.stringify({ wouldPurge: count }) : `${count} dead letter(s) would be deleted for good. Run again with --yes to purge.`;
      const removed = await purgeDeadLetters(deps);
      if (flags.json) return JSON.stringify({ purged: count, streamMessages: removed });
      return `purged ${count} dead letter(s) (${removed} stream messages)`;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  }
}

/** A message's data for `--json`: its JSON (masked unless `reveal`), else its text (masked), else base64. */
function dataAsJson(data: Uint8Array, { reveal }: { reveal: boolean }): unknown {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    try {
      const json: unknown = JSON.parse(text);
      return reveal ? json : redactJson(json);
    } catch {
      return reveal ? text : redactPersonalData(text);
    }
  } catch {
    return { base64: Buffer.from(data).toString('base64') };
  }
}

function prettyData(data: Uint8Array, { reveal }: { reveal: boolean }): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    try {
      const json: unknown = JSON.parse(text);
      return JSON.stringify(reveal ? json : redactJson(json), null, 2);
    } catch {
      return reveal ? text : redactPersonalData(text);
    }
  } catch {
    return `(not UTF-8; base64) ${Buffer.from(data).toString('base64')}`;
  }
}

/** `dlq <command> …` (`npm run dlq --`, or the image's `dlq` command): prints the answer; the exit status. */
export async function runDlq(args: string[]): Promise<number> {
  try {
    const { values, positionals } = readCommandLine(args, { consumer: { type: 'string' }, reveal: { type: 'boolean' }, yes: { type: 'boolean' }, json: { type: 'boolean' } }, { positionals: true });
    const [command, target, ...extra] = positionals;
    if (values.help || command === 'help') {
      console.log(USAGE);
      return 0;
    }
    // Only show and replay take an argument (the sequence number, or `all`).
    const unexpected = ['show', 'replay'].includes(command ?? '') ? extra[0] : (target ?? extra[0]);
    if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
    const config = loadConfig();
    const nc = await connectNats(natsTargetOf(config), 'dlq-cli');
    try {
      console.log(await run(command, target, values, { nc, names: DEFAULT_STREAM_NAMES }));
      return 0;
    } finally {
      await nc.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(error instanceof ConfigError ? error.message : `dlq: ${(error as Error).message}`);
    return 1;
  }
}

/**
 * The roles table is the one list of roles: `--help` prints every role of it, `--role` accepts exactly those
 * (and `all`), and the operations guide shows how to run each.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';
import { ROLE_NAMES, SUBSCRIBER_ROLES } from '../../src/roles/roles.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('the roles table', () => {
  it('is what --help prints, one line per role, without starting anything', () => {
    const help = execFileSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const listed = [...help.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
    expect(listed).toEqual([...ROLE_NAMES]);
  });

  it('is what --role accepts: an unknown role is refused, naming every known one', () => {
    const result = cli('--role', 'mailer');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`unknown role "mailer": --role must be one of all, ${ROLE_NAMES.join(', ')}`);
  });

  it('is read from a strict command line: a misspelt flag, a stray argument or a bad value is refused with the usage, naming it', { timeout: 60_000 }, () => {
    for (const [args, named] of [
      [['--rol', 'api'], "Unknown option '--rol'"],
      [['api'], "Unexpected argument 'api'"],
      [['--temporal', 'cloud'], '--temporal must be dev or server, not "cloud"'],
      [['--role'], "Option '--role <value>' argument missing"],
    ] as const) {
      const result = cli(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(named);
      expect(result.stderr, args.join(' ')).toContain('usage: npm start');
    }
  });

  it('is what the operations guide shows how to run', () => {
    const guide = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const documented = [...guide.matchAll(/^npm start -- --role ([a-z-]+)/gm)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(new Set(ROLE_NAMES));
  });

  it('has one subscriber role per durable consumer the streams are provisioned with', () => {
    expect(SUBSCRIBER_ROLES.map((role) => role.name).sort()).toEqual(SERVICE_CONSUMERS.map((consumer) => consumer.name).sort());
  });
});

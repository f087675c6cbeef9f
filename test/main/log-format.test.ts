/** Logs are JSON lines for machines, and pretty-printed for a person at a terminal — redacted either way. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const program = "const { createLogger } = await import('./src/platform/logger.ts'); createLogger({ name: 'probe' }).info({ checkoutId: 'chk_1', email: 'ada@example.com' }, 'hello');";
const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', JSON.stringify(program)].join(' ');

describe('log lines', { timeout: 60_000 }, () => {
  it('are one JSON object per line when stdout is not a terminal', () => {
    const out = spawnSync('sh', ['-c', node], { cwd: root, encoding: 'utf8' }).stdout.trim();
    expect(JSON.parse(out)).toMatchObject({ level: 30, name: 'probe', checkoutId: 'chk_1', email: '[redacted]', msg: 'hello' });
  });

  it('are pretty-printed when stdout is a terminal, the address still redacted', () => {
    // `script` gives the process a pseudo-terminal, as a person's shell would.
    const out = spawnSync('script', ['-qec', node, '/dev/null'], { cwd: root, encoding: 'utf8' }).stdout;
    expect(out).toMatch(/INFO.*\(probe\).*hello/);
    expect(out).toContain('checkoutId');
    expect(out).not.toContain('{"level"');
    expect(out).not.toContain('ada@example.com');
  });
});

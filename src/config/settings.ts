/** The kinds of value a setting can hold, each with the message that names what is wrong with a bad one. */
import { accessSync, constants } from 'node:fs';
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A configuration error about one setting or one rule between settings. */
export const invalid = (line: string) => new ConfigError(`invalid configuration:\n  ${line}`);

export const port = z.coerce.number().int().min(0).max(65535);

export const url = (protocols: string[]) =>
  z.url().refine((value) => protocols.some((p) => value.startsWith(`${p}://`)), {
    message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  });

export const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');

/** A path to a file this process can read (certificates, keys, NATS credentials), checked at start. */
export const readableFile = z.string().min(1).superRefine((file, ctx) => {
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    ctx.addIssue({ code: 'custom', message: code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? 'error'})` });
  }
});

export const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** Durations such as `500ms`, `30s`, `15m`, `24h`, or plain milliseconds. */
export const duration = z.string().transform((value, ctx) => {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration like 500ms, 30s, 15m or 24h' });
    return z.NEVER;
  }
  const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
});

/** What a process does with data from before a safeguard (plaintext or unbound payloads, clear contacts): refused unless an upgrade's rollout accepts it. */
export const refusedUnlessAccepted = z.enum(['refuse', 'accept']).default('refuse');

/**
 * The command line of every entrypoint, read by `node:util` `parseArgs`, strictly: an unknown flag, a
 * missing value or a stray argument is a usage error that names it (exit 2, with the usage), never ignored;
 * `--help`/`-h` prints the usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command line the usage does not allow: printed with the usage, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The flags and positionals of `args`, `--help` included; a UsageError naming what is wrong. */
export function readCommandLine<const O extends Options>(args: string[], options: O, { positionals = false }: { positionals?: boolean } = {}) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } }, strict: true, allowPositionals: positionals });
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message);
    throw error;
  }
}

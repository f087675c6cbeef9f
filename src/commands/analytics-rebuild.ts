/**
 * `npm run analytics:rebuild [-- --pglite]`: replaces the analytics read model with one rebuilt from the whole
 * checkout event stream. Needs the database the analytics subscriber writes: DATABASE_URL, or with `--pglite`
 * the local stack's embedded folder, which only one process may open (so only while the stack is stopped).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readCommandLine, UsageError } from '../platform/command-line.ts';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import { openDatabase, type DatabaseHandle } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import { natsTargetOf } from '../roles/shared-deps.ts';
import { connectNats } from '../platform/nats/connection.ts';
import { DEFAULT_STREAM_NAMES } from '../platform/nats/provision.ts';
import { rebuildAnalytics } from '../analytics/rebuild.ts';
import { readAnalyticsSummary } from '../analytics/summary.ts';

/** The `database` the running local stack reports, if it wrote `.data/stack.json`. */
function stackDatabase(config: Config): string | null {
  const file = path.join(config.dataDir, 'stack.json');
  if (!existsSync(file)) return null;
  try {
    const value = (JSON.parse(readFileSync(file, 'utf8')) as { database?: unknown }).database;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

async function openTarget(config: Config, pglite: boolean): Promise<DatabaseHandle> {
  if (config.database.url) return openDatabase({ kind: 'postgres', url: config.database.url });
  const dataDir = path.join(config.dataDir, 'pglite');
  if (pglite) return openDatabase({ kind: 'pglite', dataDir });
  const stack = stackDatabase(config);
  throw new ConfigError(
    [
      'analytics:rebuild needs the database the analytics subscriber writes, and DATABASE_URL is not set.',
      stack ? `The local stack reports its database as ${stack}.` : '',
      'Embedded PGlite belongs to the one process that opened it, so this command cannot share it with a running stack.',
      'Fix: either set DATABASE_URL to the PostgreSQL database of the running subscribers,',
      `or stop the stack and run \`npm run analytics:rebuild -- --pglite\` to rebuild ${dataDir} offline.`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

const USAGE = `usage: npm run analytics:rebuild [-- --pglite]     (in the image: docker run <image> analytics-rebuild)
  rebuilds the analytics read model from the whole event stream, in DATABASE_URL's database
  --pglite   the local stack's embedded database instead (stop the stack first)`;

/** `analytics-rebuild [--pglite]` (`npm run analytics:rebuild --`, or the image's command): the exit status. */
export async function runAnalyticsRebuild(args: string[]): Promise<number> {
  try {
    await rebuild(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(error instanceof ConfigError ? error.message : `analytics:rebuild: ${(error as Error).message}`);
    return 1;
  }
}

async function rebuild(args: string[]): Promise<void> {
  const { values } = readCommandLine(args, { pglite: { type: 'boolean' } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'analytics-rebuild' });
  const database = await openTarget(config, values.pglite === true);
  const nc = await connectNats(natsTargetOf(config), 'analytics-rebuild');
  try {
    const started = Date.now();
    const result = await rebuildAnalytics({ nc, names: DEFAULT_STREAM_NAMES, db: database.db, logger });
    const { counts } = await readAnalyticsSummary(database.db, 'all');
    console.log(
      `rebuilt analytics from ${DEFAULT_STREAM_NAMES.stream} in ${Date.now() - started} ms: ` +
        `${result.messages} messages, ${result.applied} events counted, ${result.skipped} invalid skipped\n` +
        `completed ${counts.completed}, declined ${counts.declined}, cancelled ${counts.cancelled}, failed ${counts.failed}, total ${counts.total}`,
    );
  } finally {
    await nc.close();
    await database.close();
  }
}

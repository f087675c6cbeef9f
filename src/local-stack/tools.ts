/** Finds the pinned Temporal CLI and nats-server (and, when asked, the Temporal server), building them once through scripts/tools.sh. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface PinnedTools {
  temporalCli: string;
  natsServer: string;
}

export interface PinnedServerTools {
  /** `temporal-server`, the production server built from go.temporal.io/server. */
  temporalServer: string;
  /** `temporal-sql-tool`, which creates and migrates its PostgreSQL schema. */
  temporalSqlTool: string;
}

const script = fileURLToPath(new URL('../../scripts/tools.sh', import.meta.url));

const run = (args: string[]) => {
  const output = execFileSync('bash', [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return (key: string) => {
    const line = output.split('\n').find((l) => l.startsWith(`${key}=`));
    if (!line) throw new Error(`scripts/tools.sh did not report ${key}`);
    return line.slice(key.length + 1);
  };
};

export function ensureTools(): PinnedTools {
  const value = run([]);
  return { temporalCli: value('TEMPORAL_CLI'), natsServer: value('NATS_SERVER') };
}

/** The Temporal server and its schema tool too (a few minutes to build the first time). */
export function ensureServerTools(): PinnedTools & PinnedServerTools {
  const value = run(['--server']);
  return { temporalCli: value('TEMPORAL_CLI'), natsServer: value('NATS_SERVER'), temporalServer: value('TEMPORAL_SERVER'), temporalSqlTool: value('TEMPORAL_SQL_TOOL') };
}

/**
 * The production Temporal server (`temporal-server`, built from go.temporal.io/server like the CLI) on
 * PostgreSQL, for the local stack's `--temporal server` mode and the topology tests: its two databases
 * created and migrated by `temporal-sql-tool`, several history shards, SQL visibility, the namespace created
 * with an explicit retention and the checkout search attributes registered — what a deployment runs, on one
 * machine. All four services (frontend, history, matching, worker) run in the one process.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { searchAttributes } from '../contracts/workflow.ts';
import { startProcess, type ManagedProcess } from './child-process.ts';
import { assertPortFree, freeLowPort, freePort, waitForPort } from '../platform/ports.ts';

const exec = promisify(execFile);

/** The server's dynamic configuration: the file compose mounts, so both run the same server. */
const SERVER_DYNAMIC_CONFIG = fileURLToPath(new URL('../../deploy/temporal-dynamic-config.yaml', import.meta.url));

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string | null;
  /** The history database; visibility goes to `<database>_visibility`. */
  database: string;
}

export interface TemporalClusterOptions {
  serverBinary: string;
  sqlTool: string;
  /** The Temporal CLI, for the namespace and its search attributes. */
  cliBinary: string;
  host: string;
  /** The frontend's gRPC port (clients and workers connect here); the internal ports are picked free. */
  port: number;
  namespace: string;
  /** How long closed workflows are kept; must cover the Idempotency-Key window. */
  retentionHours: number;
  /** History shards: fixed for the life of the database, so chosen generously. */
  historyShards: number;
  postgres: PostgresTarget;
  /** Folder for the configuration and the log. */
  dir: string;
}

export interface RunningTemporalCluster {
  address: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Parses `postgres://user:password@host:port/database` into a target. */
export function postgresTargetOf(url: string): PostgresTarget {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : null,
    database: u.pathname.replace(/^\//, '') || 'temporal',
  };
}

/** Drops the two databases of a Temporal server (`<database>` and `<database>_visibility`), e.g. after a test or a benchmark run. */
export async function dropTemporalDatabases(sqlTool: string, pg: PostgresTarget): Promise<void> {
  for (const database of [pg.database, `${pg.database}_visibility`]) {
    await exec(sqlTool, [...sqlToolArgs(pg, database), 'drop-database', '--force'], { timeout: 60_000 });
  }
}

/** temporal-sql-tool's connection arguments for one database on `pg`. */
const sqlToolArgs = (pg: PostgresTarget, database: string) => [
  '--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, ...(pg.password ? ['--pw', pg.password] : []), '--db', database,
];

/** Creates (if missing) and migrates one database to the schema this server version embeds. */
async function migrate(sqlTool: string, pg: PostgresTarget, database: string, schema: 'temporal' | 'visibility'): Promise<void> {
  const base = sqlToolArgs(pg, database);
  const steps = [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '--schema-name', `postgresql/v12/${schema}`]];
  for (const step of steps) {
    try {
      await exec(sqlTool, [...base, ...step], { timeout: 120_000 });
    } catch (error) {
      const output = `${(error as { stderr?: string }).stderr ?? ''}`.split('\n').filter((l) => /error|fatal/i.test(l)).slice(-3).join('\n');
      throw new Error(`temporal-sql-tool ${step[0]} failed on ${pg.host}:${pg.port}/${database}: ${output || (error as Error).message}`);
    }
  }
}

const sqlStore = (pg: PostgresTarget, database: string, maxConns: number) => ({
  sql: {
    pluginName: 'postgres12',
    databaseName: database,
    connectAddr: `${pg.host}:${pg.port}`,
    connectProtocol: 'tcp',
    user: pg.user,
    password: pg.password ?? '',
    maxConns,
    maxIdleConns: maxConns,
    maxConnLifetime: '1h',
  },
});

/** The server's configuration; JSON is YAML, so no YAML library is needed to write it. */
async function clusterConfig(options: TemporalClusterOptions) {
  const { host, port, postgres: pg } = options;
  const [http, history, matching, worker] = await Promise.all(Array.from({ length: 4 }, () => freePort()));
  // Membership ports are stored in a smallint column: below 32768.
  const membership: number[] = [];
  while (membership.length < 4) {
    const candidate = await freeLowPort(host);
    if (!membership.includes(candidate)) membership.push(candidate);
  }
  const service = (grpcPort: number, membershipPort: number, extra: object = {}) => ({ rpc: { grpcPort, membershipPort, bindOnIP: host, ...extra } });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: options.historyShards,
      datastores: {
        'postgres-default': sqlStore(pg, pg.database, 20),
        'postgres-visibility': sqlStore(pg, `${pg.database}_visibility`, 4),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: host } },
    services: {
      frontend: service(port, membership[0]!, { httpPort: http }),
      history: service(history!, membership[1]!),
      matching: service(matching!, membership[2]!),
      worker: service(worker!, membership[3]!),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `${host}:${port}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: SERVER_DYNAMIC_CONFIG, pollInterval: '10s' },
  };
}

/** The namespace with its retention, and the checkout search attributes; each step leaves what exists alone. */
async function registerNamespace(options: TemporalClusterOptions, address: string): Promise<void> {
  const cli = (args: string[]) => exec(options.cliBinary, [...args, '--address', address], { timeout: 30_000 });
  const { namespace } = options;
  const retention = `${options.retentionHours}h`;
  try {
    await cli(['operator', 'namespace', 'create', '--namespace', namespace, '--retention', retention]);
  } catch (error) {
    if (!/already exists|AlreadyExists/i.test(`${(error as { stderr?: string }).stderr}`)) throw error;
    await cli(['operator', 'namespace', 'update', '--namespace', namespace, '--retention', retention]);
  }
  for (const { name, type } of Object.values(searchAttributes)) {
    const typeName = `${type.charAt(0)}${type.slice(1).toLowerCase()}`;
    try {
      await cli(['operator', 'search-attribute', 'create', '--namespace', namespace, '--name', name, '--type', typeName]);
    } catch (error) {
      if (!/already exists|AlreadyExists/i.test(`${(error as { stderr?: string }).stderr}`)) throw error;
    }
  }
}

export async function startTemporalCluster(options: TemporalClusterOptions): Promise<RunningTemporalCluster> {
  const { host, port, dir, postgres: pg } = options;
  await assertPortFree(host, port, 'Temporal gRPC', 'TEMPORAL_PORT');
  mkdirSync(path.join(dir, 'config'), { recursive: true });
  await migrate(options.sqlTool, pg, pg.database, 'temporal');
  await migrate(options.sqlTool, pg, `${pg.database}_visibility`, 'visibility');
  writeFileSync(path.join(dir, 'config', 'cluster.yaml'), `${JSON.stringify(await clusterConfig(options), null, 2)}\n`);
  const proc = startProcess('temporal-server', options.serverBinary, ['--root', dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'], path.join(dir, 'temporal.log'));
  const address = `${host}:${port}`;
  try {
    await waitForPort(host, port, 60_000, proc.alive);
    // The frontend answers before its namespace registry has loaded: retry the registration a while.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await registerNamespace(options, address);
        break;
      } catch (error) {
        if (Date.now() > deadline || !proc.alive()) throw error;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  } catch (error) {
    await proc.stop();
    throw new Error(`the Temporal server did not start: ${(error as Error).message}\n${proc.tail()}`);
  }
  return { address, process: proc, stop: () => proc.stop() };
}

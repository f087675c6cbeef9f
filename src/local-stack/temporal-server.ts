/**
 * Runs the pinned Temporal CLI dev server for the local stack: state in a SQLite file (so checkouts survive
 * a restart), the Web UI, the checkout search attributes registered at start, and the single-node tuning of
 * temporal-tuning.ts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { searchAttributes } from '../contracts/workflow.ts';
import { startProcess, type ManagedProcess } from './child-process.ts';
import { assertPortFree, waitForPort } from '../platform/ports.ts';
import { devServerTuningArgs } from './temporal-tuning.ts';

export interface TemporalServerOptions {
  binary: string;
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** Folder for the database file and the log. */
  dir: string;
  /** A codec server the Web UI decodes payloads through. */
  codecEndpoint?: string;
}

export interface RunningTemporal {
  address: string;
  uiUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** The `--search-attribute NAME=Type` arguments of every dev server we start. */
export const searchAttributeArgs = () =>
  Object.values(searchAttributes).flatMap(({ name, type }) => ['--search-attribute', `${name}=${type.charAt(0)}${type.slice(1).toLowerCase()}`]);

export async function startTemporalServer(options: TemporalServerOptions): Promise<RunningTemporal> {
  const { binary, host, port, uiPort, namespace, dir, codecEndpoint } = options;
  await assertPortFree(host, port, 'Temporal gRPC', 'TEMPORAL_ADDRESS');
  await assertPortFree(host, uiPort, 'Temporal Web UI', 'TEMPORAL_UI_PORT');
  mkdirSync(dir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--namespace',
    namespace,
    '--db-filename',
    path.join(dir, 'temporal.db'),
    '--log-level',
    'warn',
    ...searchAttributeArgs(),
    ...devServerTuningArgs(),
    ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : []),
  ];
  const proc = startProcess('temporal', binary, args, path.join(dir, 'temporal.log'));
  try {
    await waitForPort(host, port, 60_000, proc.alive);
    await waitForPort(host, uiPort, 30_000, proc.alive);
  } catch (error) {
    await proc.stop();
    throw new Error(`the Temporal dev server did not start: ${(error as Error).message}\n${proc.tail()}`);
  }
  return { address: `${host}:${port}`, uiUrl: `http://${host}:${uiPort}`, process: proc, stop: () => proc.stop() };
}

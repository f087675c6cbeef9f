/**
 * Runs the pinned nats-server with JetStream for the local stack and the tests. `sync_interval: always`
 * makes the server fsync before it acknowledges a publish, so an acknowledged event survives a crash.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startProcess, type ManagedProcess } from './child-process.ts';
import { assertPortFree, waitForPort } from '../platform/ports.ts';

export interface NatsServerOptions {
  binary: string;
  host: string;
  port: number;
  /** Folder for the JetStream store, config and log. */
  dir: string;
  /** More configuration lines (a `tls` or `authorization` block), e.g. for tests of secured connections. */
  extraConfig?: string[];
  /** More environment variables for the server, which its config reads as `$NAME` (e.g. users' passwords). */
  env?: Record<string, string>;
}

export interface RunningNats {
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startNatsServer({ binary, host, port, dir, extraConfig = [], env = {} }: NatsServerOptions): Promise<RunningNats> {
  await assertPortFree(host, port, 'NATS', 'NATS_PORT (or NATS_URL to use a running server)');
  mkdirSync(path.join(dir, 'jetstream'), { recursive: true });
  const configFile = path.join(dir, 'nats-server.conf');
  writeFileSync(
    configFile,
    [
      `listen: "${host}:${port}"`,
      `server_name: "durable-checkout"`,
      'jetstream {',
      `  store_dir: ${JSON.stringify(path.join(dir, 'jetstream'))}`,
      '  sync_interval: always',
      '}',
      ...extraConfig,
      '',
    ].join('\n'),
  );
  const proc = startProcess('nats-server', binary, ['-c', configFile], path.join(dir, 'nats-server.log'), { ...process.env, ...env });
  try {
    await waitForPort(host, port, 15_000, proc.alive);
  } catch (error) {
    await proc.stop();
    throw new Error(`nats-server did not start: ${(error as Error).message}\n${proc.tail()}`);
  }
  return { url: `nats://${host}:${port}`, process: proc, stop: () => proc.stop() };
}

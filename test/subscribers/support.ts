/**
 * Test databases for the subscriber tests: a fresh PostgreSQL database on the DATABASE_URL server (dropped
 * afterwards), or PGlite in memory when DATABASE_URL is not set — the project's convention for every test run.
 */
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startSmtpSink } from '../../src/notifications/smtp-sink.ts';
import { startMessagingSimulators } from '../../src/roles/simulators.ts';
import { startNatsServer } from '../nats/support.ts';
import { createTestDatabase } from '../support/database.ts';

export interface TestDatabase extends DatabaseHandle {
  drop(): Promise<void>;
}

export async function openTestDatabase(kind: 'pglite' | 'configured' = 'configured'): Promise<TestDatabase> {
  const handle = await createTestDatabase(kind === 'pglite' ? null : (process.env.DATABASE_URL ?? null));
  return { ...handle, drop: () => handle.close() };
}

/** Quiet by default; `LOG_LEVEL=debug npx vitest …` to watch the loops. */
export const testLogger = () => createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'test' });

/**
 * What the notification paths run against: a nats-server, a test database, the SMTP sink and the SMS and push
 * provider simulators (answers lost past `hangMs`), started together; `stop` closes them all.
 */
export async function startMessagingWorld(name: string, hangMs: number) {
  const [server, database, sink, providers] = await Promise.all([
    startNatsServer(),
    openTestDatabase(),
    startSmtpSink({ host: '127.0.0.1', smtpPort: 0, mailboxPort: 0 }),
    startMessagingSimulators({ host: '127.0.0.1', ports: { sms: { primary: 0, secondary: 0 }, push: { primary: 0, secondary: 0 } }, latencyMs: 0, failureRate: 0, hangMs }),
  ]);
  const nc = await server.connect(name);
  const stop = async () => {
    await nc.close();
    await Promise.all([server.stop(), database.drop(), sink.close(), providers.close()]);
  };
  return { server, nc, database, sink, providers, stop };
}

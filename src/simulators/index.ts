/** Starts the external service simulators — the fraud service and two payment gateways — as HTTP servers. */
import path from 'node:path';
import type { Logger } from 'pino';
import { createFraudApp } from './fraud-app.ts';
import { createGatewayApp } from './gateway-app.ts';
import { listen, type Listening, type ListenTarget } from './listen.ts';

export { createFraudApp, type FraudAppOptions } from './fraud-app.ts';
export { createGatewayApp, type GatewayAppOptions } from './gateway-app.ts';
export type { LedgerEntry, LedgerKind } from './gateway-ledger.ts';

export interface SimulatorOptions {
  host: string;
  fraudPort: number;
  primaryPort: number;
  secondaryPort: number;
  latencyMs: number;
  failureRate: number;
  hangMs: number;
  logger?: Logger;
  /** A directory where the gateways keep what they did across restarts (`<name>-gateway.jsonl`); none: in memory. */
  stateDir?: string | null;
}

export interface RunningSimulators {
  urls: { fraud: string; primaryGateway: string; secondaryGateway: string };
  close(): Promise<void>;
}

export async function startSimulators(options: SimulatorOptions): Promise<RunningSimulators> {
  const { host, latencyMs, failureRate, hangMs, logger, stateDir } = options;
  const gateway = (name: string) =>
    createGatewayApp({
      name,
      latencyMs,
      failureRate,
      hangMs,
      logger: logger?.child({ simulator: `${name}-gateway` }),
      journalFile: stateDir ? path.join(stateDir, `${name}-gateway.jsonl`) : null,
    });
  const targets: ListenTarget[] = [
    { app: createFraudApp({ latencyMs, failureRate, logger: logger?.child({ simulator: 'fraud' }) }), host, port: options.fraudPort, label: 'fraud service', envVar: 'FRAUD_URL' },
    { app: gateway('primary'), host, port: options.primaryPort, label: 'primary gateway', envVar: 'PRIMARY_GATEWAY_URL' },
    { app: gateway('secondary'), host, port: options.secondaryPort, label: 'secondary gateway', envVar: 'SECONDARY_GATEWAY_URL' },
  ];

  const settled = await Promise.allSettled(targets.map(listen));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  if (failures.length > 0) {
    // Nothing half-started is left behind: the caller sees one error and can simply retry.
    await Promise.allSettled(started.map((s) => s.close()));
    if (failures.length === 1) throw failures[0];
    throw new Error(failures.map((f) => f.message).join('\n'), { cause: failures });
  }

  const [fraud, primary, secondary] = started as [Listening, Listening, Listening];
  const urls = { fraud: fraud.url, primaryGateway: primary.url, secondaryGateway: secondary.url };
  logger?.info({ urls, latencyMs, failureRate, hangMs }, 'simulators listening');
  return {
    urls,
    async close() {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}

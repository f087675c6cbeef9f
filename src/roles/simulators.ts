/** Starts the external service simulators — the fraud service, the payment gateways, two SMS and two push providers — as HTTP servers. */
import path from 'node:path';
import type { Logger } from 'pino';
import { createFraudApp } from '../fraud/simulator/app.ts';
import { createGatewayApp } from '../payments/simulator/app.ts';
import { createMessagingApp } from '../notifications/simulator.ts';
import { GATEWAYS, perGateway, type GatewayName } from '../payments/gateways.ts';
import { listen, type Listening, type ListenTarget } from '../platform/simulation/listen.ts';

export { createFraudApp, type FraudAppOptions } from '../fraud/simulator/app.ts';
export { createGatewayApp, type GatewayAppOptions } from '../payments/simulator/app.ts';
export type { LedgerEntry, LedgerKind } from '../payments/simulator/ledger.ts';
export { createMessagingApp, MESSAGING_TEST_RECIPIENTS, type MessageRecord } from '../notifications/simulator.ts';

export interface SimulatorOptions {
  host: string;
  fraudPort: number;
  /** Each gateway simulator's port, by name (0: any free port). */
  gatewayPorts: Record<GatewayName, number>;
  latencyMs: number;
  failureRate: number;
  hangMs: number;
  logger?: Logger;
  /** A directory where the gateways keep what they did across restarts (`<name>-gateway.jsonl`); none: in memory. */
  stateDir?: string | null;
  /** The fingerprints' key the fraud simulator shares with the service (a development key if absent). */
  fingerprintKey?: string;
}

export interface RunningSimulators {
  urls: { fraud: string; gateways: Record<GatewayName, string> };
  close(): Promise<void>;
}

/** Listens on every target, or on none: nothing half-started is left behind, the caller sees one error and can retry. */
async function listenAll(targets: ListenTarget[]): Promise<Listening[]> {
  const settled = await Promise.allSettled(targets.map(listen));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  if (failures.length > 0) {
    await Promise.allSettled(started.map((s) => s.close()));
    if (failures.length === 1) throw failures[0];
    throw new Error(failures.map((f) => f.message).join('\n'), { cause: failures });
  }
  return started;
}

export interface MessagingSimulatorOptions {
  host: string;
  ports: { sms: { primary: number; secondary: number }; push: { primary: number; secondary: number } };
  latencyMs: number;
  failureRate: number;
  /** How long a `slow` recipient's first answer is held. */
  hangMs: number;
  logger?: Logger;
}

export interface RunningMessagingSimulators {
  urls: { sms: { primary: string; secondary: string }; push: { primary: string; secondary: string } };
  close(): Promise<void>;
}

/** The SMS and push provider simulators, a primary and a secondary of each. */
export async function startMessagingSimulators(options: MessagingSimulatorOptions): Promise<RunningMessagingSimulators> {
  const { host, ports, latencyMs, failureRate, hangMs, logger } = options;
  const target = (channel: 'sms' | 'push', name: 'primary' | 'secondary'): ListenTarget => ({
    app: createMessagingApp({ channel, name, latencyMs, failureRate, hangMs, logger: logger?.child({ simulator: `${name}-${channel}` }) }),
    host,
    port: ports[channel][name],
    label: `${name} ${channel} provider`,
    envVar: `${channel.toUpperCase()}_${name.toUpperCase()}_URL`,
  });
  const started = await listenAll([target('sms', 'primary'), target('sms', 'secondary'), target('push', 'primary'), target('push', 'secondary')]);
  const [smsPrimary, smsSecondary, pushPrimary, pushSecondary] = started as [Listening, Listening, Listening, Listening];
  return {
    urls: { sms: { primary: smsPrimary.url, secondary: smsSecondary.url }, push: { primary: pushPrimary.url, secondary: pushSecondary.url } },
    close: async () => void (await Promise.all(started.map((s) => s.close()))),
  };
}

export async function startSimulators(options: SimulatorOptions): Promise<RunningSimulators> {
  const { host, latencyMs, failureRate, hangMs, logger, stateDir } = options;
  const gatewayApp = (name: string) =>
    createGatewayApp({
      name,
      latencyMs,
      failureRate,
      hangMs,
      logger: logger?.child({ simulator: `${name}-gateway` }),
      journalFile: stateDir ? path.join(stateDir, `${name}-gateway.jsonl`) : null,
    });
  const targets: ListenTarget[] = [
    {
      app: createFraudApp({ latencyMs, failureRate, fingerprintKey: options.fingerprintKey, logger: logger?.child({ simulator: 'fraud' }) }),
      host,
      port: options.fraudPort,
      label: 'fraud service',
      envVar: 'FRAUD_URL',
    },
    ...GATEWAYS.map(({ name, setting }) => ({ app: gatewayApp(name), host, port: options.gatewayPorts[name], label: `${name} gateway`, envVar: setting })),
  ];

  const started = await listenAll(targets);
  const [fraud, ...gateways] = started as [Listening, ...Listening[]];
  const urls = { fraud: fraud.url, gateways: perGateway((_, index) => gateways[index]!.url) };
  logger?.info({ urls, latencyMs, failureRate, hangMs }, 'simulators listening');
  return {
    urls,
    async close() {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}

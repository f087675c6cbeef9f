/** The stand-ins for outside services — the fraud and gateway simulators and the SMTP sink — on their configured ports. */
import path from 'node:path';
import type { Config } from '../config.ts';
import { startSmtpSink } from '../dev/smtp-sink.ts';
import { portOfUrl } from '../dev/ports.ts';
import type { Logger } from '../logger.ts';
import { startSimulators } from '../simulators/index.ts';
import type { Lifecycle } from './lifecycle.ts';

export async function startConfiguredSimulators(config: Config, host: string, logger: Logger, lifecycle: Lifecycle) {
  const { services } = config;
  const simulators = await startSimulators({
    host,
    fraudPort: portOfUrl(services.fraudUrl),
    primaryPort: portOfUrl(services.primaryGatewayUrl),
    secondaryPort: portOfUrl(services.secondaryGatewayUrl),
    ...config.simulators,
    logger,
    // A gateway remembers what it did across restarts, as a real one would.
    stateDir: path.join(config.dataDir, 'simulators'),
  });
  lifecycle.add('simulators', simulators.close);
  return simulators;
}

export async function startConfiguredSmtpSink(config: Config, host: string, lifecycle: Lifecycle) {
  const sink = await startSmtpSink({ host, smtpPort: portOfUrl(config.email.smtpUrl), mailboxPort: config.email.mailboxPort });
  lifecycle.add('smtp sink', sink.close);
  return sink;
}

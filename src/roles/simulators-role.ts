/** The simulators role: stand-ins for the fraud service, the payment gateways and the SMS and push providers, on their configured ports. */
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { perGateway } from '../payments/gateways.ts';
import { portOfUrl } from '../platform/ports.ts';
import type { Logger } from '../platform/logger.ts';
import { startMessagingSimulators, startSimulators } from './simulators.ts';
import type { Lifecycle } from './lifecycle.ts';

export async function startConfiguredSimulators(config: Config, host: string, logger: Logger, lifecycle: Lifecycle) {
  const { services } = config;
  const simulators = await startSimulators({
    host,
    fraudPort: portOfUrl(services.fraudUrl),
    gatewayPorts: perGateway(({ name }) => portOfUrl(services.gatewayUrls[name])),
    ...config.simulators,
    fingerprintKey: config.services.fraudFingerprintKey,
    logger,
    // A gateway remembers what it did across restarts, as a real one would.
    stateDir: path.join(config.dataDir, 'simulators'),
  });
  lifecycle.add('simulators', simulators.close);
  const { providers } = config.notifications;
  const messaging = await startMessagingSimulators({
    host,
    ports: {
      sms: { primary: portOfUrl(providers.sms.primary), secondary: portOfUrl(providers.sms.secondary) },
      push: { primary: portOfUrl(providers.push.primary), secondary: portOfUrl(providers.push.secondary) },
    },
    ...config.simulators,
    // Lost answers are held past the provider timeout, as the gateways hold theirs past the gateway timeout.
    hangMs: config.notifications.providerTimeoutMs + 1_000,
    logger,
  });
  lifecycle.add('messaging simulators', messaging.close);
  return { ...simulators, messaging };
}

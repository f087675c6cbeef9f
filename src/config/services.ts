/** The outside services section: the fraud service and the payment gateways, their timeouts, and the simulators that stand in for them. */
import { z } from 'zod';
import { DEVELOPMENT_FINGERPRINT_KEY } from '../fraud/fingerprint.ts';
import { GATEWAY_CALL_DEADLINE_MS } from '../payments/failures.ts';
import { GATEWAYS, perGateway, type GatewayName, type GatewaySetting } from '../payments/gateways.ts';
import { duration, invalid, url } from './settings.ts';

/** One URL setting per row of the gateway table, with the simulator's local port as its default. */
const gatewayUrlSettings = Object.fromEntries(
  GATEWAYS.map((gateway) => [gateway.setting, url(['http', 'https']).default(`http://127.0.0.1:${gateway.localPort}`).describe(gateway.summary)]),
) as Record<GatewaySetting, z.ZodDefault<ReturnType<typeof url>>>;

const servicesSchema = z.object({
  FRAUD_URL: url(['http', 'https']).default('http://127.0.0.1:4010').describe('fraud service'),
  ...gatewayUrlSettings,
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(40).describe('latency the simulators add to each request'),
  SIMULATOR_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0).describe('share of simulator requests answered 503'),
  SIMULATOR_HANG: duration.default(6_000).describe('how long `tok_timeoutAfterCharge` holds its first answer (must exceed `GATEWAY_TIMEOUT`)'),
  GATEWAY_TIMEOUT: duration.default(3_000).describe("per-request timeout of gateway calls; must be under the payment steps' 10 s start-to-close timeout"),
  FRAUD_TIMEOUT: duration.default(2_000).describe('per-request timeout of fraud scoring'),
  FRAUD_FINGERPRINT_KEY: z.string().min(32, 'must be at least 32 characters, e.g. $(openssl rand -base64 32)').optional().describe('the key of the HMAC-SHA256 fingerprints of the card token and the email the fraud service gets; required in production, 32 characters or more; the fraud simulator shares it; unset: a public development key'),
});
export const servicesEnv = servicesSchema.shape;
type ServicesEnv = z.infer<typeof servicesSchema>;

export interface ServicesConfig {
  fraudUrl: string;
  /** Each gateway's URL, by name (src/payments/gateways.ts). */
  gatewayUrls: Record<GatewayName, string>;
  gatewayTimeoutMs: number;
  fraudTimeoutMs: number;
  /** The fingerprints' key; outside production, the public development key if unset. */
  fraudFingerprintKey: string;
}

export interface SimulatorsConfig {
  latencyMs: number;
  failureRate: number;
  hangMs: number;
}

export function servicesOf(e: ServicesEnv, { production }: { production: boolean }): { services: ServicesConfig; simulators: SimulatorsConfig } {
  if (production && e.FRAUD_FINGERPRINT_KEY === undefined) {
    throw invalid(
      'FRAUD_FINGERPRINT_KEY is required in production: the development key is public, and fingerprints under it can be reversed ' +
        'by hashing a list of emails. Set it to a secret shared by the workers (and a fraud simulator), e.g. FRAUD_FINGERPRINT_KEY="$(openssl rand -base64 32)"',
    );
  }
  if (e.GATEWAY_TIMEOUT >= GATEWAY_CALL_DEADLINE_MS) {
    // Temporal would time the attempt out first, and a gateway call cut off by Temporal has an unknown outcome.
    throw invalid(`GATEWAY_TIMEOUT (${e.GATEWAY_TIMEOUT} ms) must be shorter than a payment step's start-to-close timeout (${GATEWAY_CALL_DEADLINE_MS} ms)`);
  }
  if (e.SIMULATOR_HANG <= e.GATEWAY_TIMEOUT) throw invalid(`SIMULATOR_HANG (${e.SIMULATOR_HANG} ms) must exceed GATEWAY_TIMEOUT (${e.GATEWAY_TIMEOUT} ms)`);
  return {
    services: {
      fraudUrl: e.FRAUD_URL,
      gatewayUrls: perGateway((gateway) => e[gateway.setting]),
      gatewayTimeoutMs: e.GATEWAY_TIMEOUT,
      fraudTimeoutMs: e.FRAUD_TIMEOUT,
      fraudFingerprintKey: e.FRAUD_FINGERPRINT_KEY ?? DEVELOPMENT_FINGERPRINT_KEY,
    },
    simulators: { latencyMs: e.SIMULATOR_LATENCY_MS, failureRate: e.SIMULATOR_FAILURE_RATE, hangMs: e.SIMULATOR_HANG },
  };
}

/**
 * The payment gateways, in failover order: the saga asks the first, and the next only when one said it did
 * nothing. Each row is everything the service knows of a gateway — its name (in checkouts, histories and
 * idempotency keys), its URL setting with the local default, and its simulator — so adding a gateway is one
 * row here plus its service in docker-compose.yml. Free of imports: workflow code and the contracts read it.
 */
export const GATEWAYS = [
  { name: 'primary', setting: 'PRIMARY_GATEWAY_URL', localPort: 4011, summary: 'primary payment gateway' },
  { name: 'secondary', setting: 'SECONDARY_GATEWAY_URL', localPort: 4012, summary: 'secondary gateway, used when the primary stays unavailable' },
] as const;

export type Gateway = (typeof GATEWAYS)[number];
export type GatewayName = Gateway['name'];
export type GatewaySetting = Gateway['setting'];

/** The gateways' names in failover order (a tuple, for zod's enum). */
export const GATEWAY_NAMES = GATEWAYS.map((gateway) => gateway.name) as unknown as readonly [GatewayName, ...GatewayName[]];

/** One value per gateway, e.g. its URL or its client. */
export const perGateway = <T>(make: (gateway: Gateway, index: number) => T): Record<GatewayName, T> =>
  Object.fromEntries(GATEWAYS.map((gateway, index) => [gateway.name, make(gateway, index)])) as Record<GatewayName, T>;

/** The environment that points every gateway's URL setting at `urlOf(gateway)`, e.g. a stack's simulators. */
export const gatewaySettings = (urlOf: (gateway: Gateway, index: number) => string): Record<GatewaySetting, string> =>
  Object.fromEntries(GATEWAYS.map((gateway, index) => [gateway.setting, urlOf(gateway, index)])) as Record<GatewaySetting, string>;

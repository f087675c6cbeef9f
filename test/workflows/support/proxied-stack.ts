/** A checkout stack whose primary gateway sits behind a gateway proxy, for tests that choose what the network does. */
import { startCheckoutStack, type CheckoutStack, type StackOptions } from '../../support/checkout-stack.ts';
import { startGatewayProxy, type GatewayProxy } from './gateway-proxy.ts';

export interface ProxiedStack {
  stack: CheckoutStack;
  proxy: GatewayProxy;
  stop(): Promise<void>;
}

export async function startProxiedStack(options: StackOptions = {}): Promise<ProxiedStack> {
  const proxy = await startGatewayProxy();
  const stack = await startCheckoutStack({ ...options, env: { ...options.env, PRIMARY_GATEWAY_URL: proxy.url } });
  proxy.target = stack.simulators.urls.gateways.primary;
  return {
    stack,
    proxy,
    async stop() {
      await stack.stop();
      await proxy.close();
    },
  };
}

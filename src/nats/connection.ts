/** Connects to NATS, failing fast with a message that names the server and the fix. */
import { connect, type NatsConnection } from 'nats';

export class NatsUnavailableError extends Error {
  override name = 'NatsUnavailableError';
}

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, name, timeout: 5_000, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  } catch (error) {
    throw new NatsUnavailableError(
      `cannot reach NATS at ${url}: ${(error as Error).message}. Fix: start nats-server with JetStream (-js) or correct NATS_URL.`,
    );
  }
}

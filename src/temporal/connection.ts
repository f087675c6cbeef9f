/** Connects a Temporal client, failing fast with a message naming the address and the fix. */
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';

export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
}

const unavailable = (address: string, error: unknown) =>
  new TemporalUnavailableError(
    `cannot reach Temporal at ${address}: ${(error as Error).message}. Fix: start a Temporal server (npm start runs the dev server) or correct TEMPORAL_ADDRESS.`,
  );

/** `dataConverter` is the service's encrypting converter (`encryptingDataConverter`): no client writes payloads in clear. */
export async function connectTemporalClient(address: string, namespace: string, dataConverter: DataConverter): Promise<Client> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: '5s' });
    return new Client({ connection, namespace, dataConverter });
  } catch (error) {
    throw unavailable(address, error);
  }
}

/** A client on a worker's NativeConnection: the pair that lets the server start workflows eagerly on that worker. */
export function clientOnWorkerConnection(connection: NativeConnection, namespace: string, dataConverter: DataConverter): Client {
  return new Client({ connection, namespace, dataConverter });
}

export async function connectWorkerConnection(address: string): Promise<NativeConnection> {
  const { NativeConnection } = await import('@temporalio/worker');
  try {
    return await NativeConnection.connect({ address });
  } catch (error) {
    throw unavailable(address, error);
  }
}

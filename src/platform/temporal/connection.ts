/** Connects Temporal clients and workers (plaintext, TLS or mTLS, an API key), failing fast with a message naming the address and the fix. */
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import type { Config } from '../../config/index.ts';
import { clientInterceptors } from '../telemetry/temporal.ts';
import { TRACING_OFF, type Tracing } from '../telemetry/tracing.ts';

/** Where and how to reach the frontend; a bare address string means plaintext without a key (the dev server). */
export type TemporalEndpoint = Pick<Config['temporal'], 'address' | 'apiKey' | 'tls'> | string;

/** The connection options both the client's Connection and the worker's NativeConnection take. */
export function temporalConnectOptions(endpoint: TemporalEndpoint): { address: string; tls?: TLSConfig; apiKey?: string } {
  if (typeof endpoint === 'string') return { address: endpoint };
  const { address, apiKey, tls } = endpoint;
  const read = (file: string | null) => (file === null ? undefined : readFileSync(file));
  const clientCrt = read(tls?.clientCertPath ?? null);
  const clientKey = read(tls?.clientKeyPath ?? null);
  return {
    address,
    ...(apiKey !== null && { apiKey }),
    ...(tls && {
      tls: {
        ...(tls.serverName !== null && { serverNameOverride: tls.serverName }),
        ...(tls.serverCaCertPath !== null && { serverRootCACertificate: read(tls.serverCaCertPath) }),
        ...(clientCrt && clientKey && { clientCertPair: { crt: clientCrt, key: clientKey } }),
      },
    }),
  };
}

const addressOf = (endpoint: TemporalEndpoint) => (typeof endpoint === 'string' ? endpoint : endpoint.address);

export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
}

const unavailable = (address: string, error: unknown) =>
  new TemporalUnavailableError(
    `cannot reach Temporal at ${address}: ${(error as Error).message}. Fix: start a Temporal server (npm start runs the dev server), or correct TEMPORAL_ADDRESS and its TLS or API key settings.`,
  );

/**
 * `dataConverter` is the service's encrypting converter (`encryptingDataConverter`): no client writes payloads
 * in clear. With `tracing` on, the calls it makes carry the caller's trace to the workflow.
 */
export async function connectTemporalClient(endpoint: TemporalEndpoint, namespace: string, dataConverter: DataConverter, tracing: Tracing = TRACING_OFF): Promise<Client> {
  try {
    const connection = await Connection.connect({ ...temporalConnectOptions(endpoint), connectTimeout: '5s' });
    return new Client({ connection, namespace, dataConverter, interceptors: clientInterceptors(tracing) });
  } catch (error) {
    throw unavailable(addressOf(endpoint), error);
  }
}

/** A client on a worker's NativeConnection: the pair that lets the server start workflows eagerly on that worker. */
export function clientOnWorkerConnection(connection: NativeConnection, namespace: string, dataConverter: DataConverter, tracing: Tracing = TRACING_OFF): Client {
  return new Client({ connection, namespace, dataConverter, interceptors: clientInterceptors(tracing) });
}

export async function connectWorkerConnection(endpoint: TemporalEndpoint): Promise<NativeConnection> {
  const { NativeConnection } = await import('@temporalio/worker');
  try {
    return await NativeConnection.connect(temporalConnectOptions(endpoint));
  } catch (error) {
    throw unavailable(addressOf(endpoint), error);
  }
}

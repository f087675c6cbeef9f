/**
 * Temporal's own configuration profiles (the TOML file the `temporal` CLI and every SDK read), through
 * @temporalio/envconfig: with `TEMPORAL_CONFIG_FILE` or `TEMPORAL_PROFILE` set, the profile's address,
 * namespace, API key and TLS settings fill in the `TEMPORAL_*` variables the environment does not set, and
 * are then validated as those variables are. Without either, no file is read: a profile in the home folder
 * never redirects `npm start` from its own dev server.
 */
import { existsSync } from 'node:fs';
import { loadClientConfigProfile, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import { invalid } from './settings.ts';

type Env = Record<string, string>;

/** `env` with the chosen profile's settings under the variables it leaves unset. */
export function withTemporalProfile(env: Env): Env {
  const file = env.TEMPORAL_CONFIG_FILE;
  const name = env.TEMPORAL_PROFILE;
  if (file === undefined && name === undefined) return env;
  if (file !== undefined && !existsSync(file)) throw invalid(`TEMPORAL_CONFIG_FILE=${file}: no such file`);
  const where = `profile "${name ?? 'default'}"${file ? ` of ${file}` : ''}`;
  let profile: ClientConfigProfile;
  try {
    // The environment's own variables are applied (and validated) by the configuration, not here.
    profile = loadClientConfigProfile({ profile: name, configSource: file ? { path: file } : undefined, disableEnv: true, configFileStrict: true });
  } catch (error) {
    throw invalid(`${where}: ${(error as Error).message}`);
  }
  const path = (source: ConfigDataSource | undefined, key: string) => {
    if (source === undefined) return undefined;
    if ('path' in source) return source.path;
    throw invalid(`${where}: ${key} is given inline; this service reads certificates from files — give its path`);
  };
  const fromProfile: Record<string, string | undefined> = {
    TEMPORAL_ADDRESS: profile.address,
    TEMPORAL_NAMESPACE: profile.namespace,
    TEMPORAL_API_KEY: profile.apiKey,
    TEMPORAL_TLS: profile.tls === undefined ? undefined : String(!profile.tls.disabled),
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: path(profile.tls?.serverCACert, 'tls.server_ca_cert'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: path(profile.tls?.clientCert, 'tls.client_cert'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: path(profile.tls?.clientKey, 'tls.client_key'),
    TEMPORAL_TLS_SERVER_NAME: profile.tls?.serverName,
  };
  const filled = Object.fromEntries(Object.entries(fromProfile).filter(([key, value]) => value !== undefined && value !== '' && env[key] === undefined)) as Env;
  return { ...filled, ...env };
}

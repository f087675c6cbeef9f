/**
 * docker-compose.yml, validated and resolved by Debian's `docker-compose config` (no Docker engine needed;
 * `npm test` installs it) and read as data: the topology it declares is the one the topology test runs,
 * every role it names exists, NATS is a three-node cluster with streams at three replicas, the Temporal server
 * has its schema job and an explicit retention, nothing but the user-facing ports is published, every
 * long-running service has a health check, and the image runs the production build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
}

const composeFile = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const roleOf = (service: Service) => (Array.isArray(service.command) && service.command[0] === '--role' ? service.command[1] : null);
const roles = Object.entries(services).flatMap(([name, service]) => (roleOf(service) ? [[name, roleOf(service)!] as const] : []));
const cliSource = readFileSync(new URL('../../src/main/cli.ts', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('runs every role of the topology test, each a role the CLI knows', () => {
    const known = /const ROLES = \[([^\]]+)\]/.exec(cliSource)![1]!.match(/'([a-z-]+)'/g)!.map((r) => r.slice(1, -1));
    for (const [, role] of roles) expect(known).toContain(role);
    expect(new Set(roles.map(([, role]) => role))).toEqual(new Set(['migrate', 'api', 'worker', 'email', 'notifications', 'analytics', 'codec', 'simulators', 'smtp-sink']));
    expect(services.worker!.deploy?.replicas).toBe(2);
  });

  it('runs every role after the migrate role finished and the namespace exists, against all NATS nodes', () => {
    for (const [name, role] of roles) {
      if (['migrate', 'simulators', 'smtp-sink'].includes(role)) continue;
      expect(services[name]!.depends_on, name).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
        'nats-1': { condition: 'service_healthy' },
      });
    }
    expect(services.migrate!.restart).toBe('no');
  });

  it('is production: no development keys, real keys required, payload keys shared', () => {
    const env = services.api!.environment!;
    expect(env.NODE_ENV).toBe('production');
    expect(env.ENABLE_DEV_KEYS).toBeUndefined();
    for (const name of ['MERCHANTS', 'OPERATOR_KEY_HASHES', 'PAYLOAD_KEYS', 'FRAUD_FINGERPRINT_KEY']) expect(env[name], name).toMatch(/^\$\{[A-Z_]+:\?/);
  });

  it('has a three-node JetStream cluster, and streams at three replicas on all of them', () => {
    const nodes = Object.keys(services).filter((name) => /^nats-\d$/.test(name));
    expect(nodes).toEqual(['nats-1', 'nats-2', 'nats-3']);
    const env = services.api!.environment!;
    expect(env.NATS_URL!.split(',')).toEqual(nodes.map((n) => `nats://${n}:4222`));
    expect(env.NATS_STREAM_REPLICAS).toBe('3');
    const config = readFileSync(new URL('../../deploy/nats-cluster.conf', import.meta.url), 'utf8');
    for (const node of nodes) expect(config).toContain(`nats://${node}:6222`);
    expect(config).toContain('sync_interval: always');
  });

  it('runs the Temporal server (not auto-setup) with its schema job, and creates the namespace with a retention', () => {
    expect(services.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(Object.values(services).some((s) => s.image?.includes('auto-setup'))).toBe(false);
    expect(String(services['temporal-schema']!.command)).toContain('update-schema --schema-name');
    expect(String(services['temporal-namespace']!.command)).toMatch(/namespace create --namespace default --retention 72h/);
  });

  it('publishes the API alone on every interface; the operators\' UI, the codec server and the demo mailbox on loopback only', () => {
    const published = Object.fromEntries(Object.entries(services).filter(([, s]) => s.ports?.length).map(([name, s]) => [name, s.ports]));
    expect(published).toEqual({ api: ['3000:3000'], 'temporal-ui': ['127.0.0.1:8233:8080'], codec: ['127.0.0.1:8234:8234'], 'smtp-sink': ['127.0.0.1:2580:2580'] });
  });

  it('runs the Web UI read-only: no cancel, terminate, reset or signal from a browser, which would skip the saga\'s compensation', () => {
    expect(services['temporal-ui']!.environment).toMatchObject({ TEMPORAL_DISABLE_WRITE_ACTIONS: 'true' });
  });

  it('gives every role of the service an ops port, as production requires', () => {
    for (const [name] of roles) expect(services[name]!.environment?.OPS_PORT, name).toMatch(/^\d+$/);
  });

  it('gives every long-running service a health check, the run-once jobs none', () => {
    const jobs = ['migrate', 'temporal-schema', 'temporal-namespace'];
    for (const [name, service] of Object.entries(services)) {
      if (jobs.includes(name)) expect(service.healthcheck?.test, name).toBeUndefined();
      else expect(service.healthcheck?.test, name).toBeDefined();
    }
  });

  it("checks each subscriber's readiness on the port its role serves", () => {
    expect(services.email!.environment?.SUBSCRIBER_METRICS_PORT).toBe('9465');
    for (const name of ['email', 'notifications', 'analytics']) expect(JSON.stringify(services[name]!.healthcheck?.test), name).toContain('127.0.0.1:9465/readyz');
  });

  it('runs an image that starts with plain node as an unprivileged user, the workflows bundled at build', () => {
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toContain('ENTRYPOINT ["node", "dist/src/main/cli.js"]');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toContain('ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js');
    expect(runtime).not.toContain('tsx');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    for (const devOnly of ['tsx', '@temporalio/testing', 'vitest', 'playwright-core']) expect(pkg.dependencies[devOnly], devOnly).toBeUndefined();
  });
});

describe('docker-compose config', () => {
  const productionKeys = { MERCHANTS: `mer_acme:${'a'.repeat(64)}`, OPERATOR_KEY_HASHES: 'b'.repeat(64), PAYLOAD_KEYS: 'k1:c2VjcmV0', FRAUD_FINGERPRINT_KEY: 'f'.repeat(32) };
  // Only what is given here: an empty env file instead of a local .env, nothing from the caller's environment.
  const emptyEnvFile = path.join(mkdtempSync(path.join(tmpdir(), 'compose-')), 'empty.env');
  writeFileSync(emptyEnvFile, '');
  const config = (env: Record<string, string>) =>
    spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', composeFile, 'config'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8' });

  it('validates, and resolves to the services and role commands read above', () => {
    const result = config(productionKeys);
    expect(result.error, 'docker-compose (Debian package) is not installed').toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    const resolved = (parse(result.stdout) as { services: Record<string, Service> }).services;
    expect(Object.keys(resolved).sort()).toEqual(Object.keys(services).sort());
    for (const [name] of roles) expect(resolved[name]!.command, name).toEqual(services[name]!.command);
    expect(resolved.api!.environment!.MERCHANTS).toBe(productionKeys.MERCHANTS);
  });

  it('refuses to resolve without the production keys, naming the one missing', () => {
    const { MERCHANTS: _, ...withoutMerchants } = productionKeys;
    const result = config(withoutMerchants);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set MERCHANTS to mer_<name>:<sha256 of the merchant key>');
  });
});

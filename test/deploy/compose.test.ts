/**
 * docker-compose.yml, validated and resolved by Debian's `docker-compose config` (no Docker engine needed;
 * `npm test` installs it) and read as data: the topology it declares is the one the topology test runs,
 * every role it names exists, NATS is a three-node cluster with streams at three replicas, the Temporal server
 * has its schema job and an explicit retention, nothing but the user-facing ports is published, every
 * long-running service has a health check, and the image runs the production build. Each role connects with
 * the least it needs: the database users of deploy/database-users.sql (the superuser stays the postgres
 * container's), a NATS user of its own over TLS, and nodes whose config (with the users) nats-server accepts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureTools } from '../../src/local-stack/tools.ts';
import { GATEWAYS } from '../../src/payments/gateways.ts';
import { ROLE_NAMES, ROLES } from '../../src/roles/roles.ts';
import { NATS_ROLES, natsPasswordVariable } from '../../src/roles/nats-permissions.ts';

interface Service {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
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
const deployFile = (name: string) => fileURLToPath(new URL(`../../deploy/${name}`, import.meta.url));
/** `${NAME:?…}`: compose refuses to start without it. */
const required = (name: string) => new RegExp(`^\\$\\{${name}:\\?`);
/** The roles that connect to NATS (each as its own user), as the roles table says. */
const natsRoles: string[] = ROLES.filter((role) => (role.needs as readonly string[]).includes('nats')).map((role) => role.name);

describe('docker-compose.yml', () => {
  it('runs every role of the roles table, and no other', () => {
    expect(new Set(roles.map(([, role]) => role))).toEqual(new Set(ROLE_NAMES));
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

  it('points every gateway of the gateway table at a service of the file', () => {
    const env = services.api!.environment!;
    for (const { setting } of GATEWAYS) {
      const url = new URL(env[setting] ?? `http://missing-${setting}`);
      expect(Object.keys(services), setting).toContain(url.hostname);
    }
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
    expect(env.NATS_URL!.split(',')).toEqual(nodes.map((n) => `tls://${n}:4222`));
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
    const jobs = ['migrate', 'temporal-schema', 'temporal-namespace', 'nats-tls'];
    for (const [name, service] of Object.entries(services)) {
      if (jobs.includes(name)) expect(service.healthcheck?.test, name).toBeUndefined();
      else expect(service.healthcheck?.test, name).toBeDefined();
    }
  });

  it("checks each subscriber's readiness on the port its role serves", () => {
    expect(services.email!.environment?.SUBSCRIBER_METRICS_PORT).toBe('9465');
    for (const name of ['email', 'notifications', 'analytics']) expect(JSON.stringify(services[name]!.healthcheck?.test), name).toContain('127.0.0.1:9465/readyz');
  });

  it('keeps the PostgreSQL superuser to the postgres container: the migrate role owns the schema, the other roles have rows, Temporal its own', () => {
    const db = services.postgresql!.environment!;
    expect(db.POSTGRES_USER).toBe('postgres');
    for (const name of ['POSTGRES_PASSWORD', 'CHECKOUT_DB_OWNER_PASSWORD', 'CHECKOUT_DB_APP_PASSWORD', 'TEMPORAL_DB_PASSWORD']) expect(db[name], name).toMatch(required(name));
    expect(services.postgresql!.volumes).toContain('./deploy/database-users.sql:/docker-entrypoint-initdb.d/database-users.sql:ro');
    // Read before interpolation: the password is still `${…:?…}`.
    const userOf = (url: string) => /^postgres:\/\/([^:@/]+)[:@]/.exec(url)?.[1];
    const databaseUsers = Object.entries(services).flatMap(([name, s]) => {
      const env = s.environment ?? {};
      const users = [env.DATABASE_URL && userOf(env.DATABASE_URL), env.SQL_USER, name !== 'postgresql' && env.POSTGRES_USER].filter(Boolean);
      return users.map((user) => [name, user] as const);
    });
    expect(databaseUsers.filter(([, user]) => user === db.POSTGRES_USER)).toEqual([]);
    const expected = (name: string) => (name === 'migrate' ? db.CHECKOUT_DB_OWNER : ['temporal', 'temporal-schema'].includes(name) ? db.TEMPORAL_DB_USER : db.CHECKOUT_DB_APP);
    for (const [name, user] of databaseUsers) expect(user, name).toBe(expected(name));
    expect(services.migrate!.environment!.DATABASE_URL).toContain(`:\${CHECKOUT_DB_OWNER_PASSWORD:?`);
    expect(services.api!.environment!.DATABASE_URL).toContain(`:\${CHECKOUT_DB_APP_PASSWORD:?`);
    expect(services.temporal!.environment).toMatchObject({ DBNAME: db.TEMPORAL_DB, VISIBILITY_DBNAME: db.TEMPORAL_VISIBILITY_DB });
    // Only the roles that keep rows have a database URL.
    for (const name of ['simulators', 'smtp-sink']) expect(services[name]!.environment?.DATABASE_URL, name).toBeUndefined();
  });

  it('gives every role that uses NATS a user of its own over TLS; the nodes know every user, and nothing else connects', () => {
    for (const [name, role] of roles) {
      const env = services[name]!.environment!;
      if (!natsRoles.includes(role)) {
        for (const key of ['NATS_URL', 'NATS_USER', 'NATS_PASSWORD']) expect(env[key], `${name} ${key}`).toBeUndefined();
        continue;
      }
      expect(env.NATS_USER, name).toBe(role);
      expect(env.NATS_PASSWORD, name).toMatch(required(natsPasswordVariable(role as (typeof NATS_ROLES)[number])));
      expect(env.NATS_TLS_CA_FILE, name).toBe('/etc/nats/ca/ca.pem');
      expect(services[name]!.volumes, name).toContain('nats-ca:/etc/nats/ca:ro');
      for (const server of env.NATS_URL!.split(',')) expect(server, name).toMatch(/^tls:\/\//);
    }
    for (const node of ['nats-1', 'nats-2', 'nats-3']) {
      const { environment, volumes, depends_on } = services[node]!;
      for (const role of NATS_ROLES) expect(environment![natsPasswordVariable(role)], `${node} ${role}`).toMatch(required(natsPasswordVariable(role)));
      expect(volumes).toEqual(expect.arrayContaining(['./deploy/nats-accounts.conf:/etc/nats/nats-accounts.conf:ro', 'nats-server-tls:/etc/nats/tls:ro']));
      expect(depends_on).toMatchObject({ 'nats-tls': { condition: 'service_completed_successfully' } });
    }
    // The CA's key is the certificate job's alone.
    const withCaKey = Object.entries(services).filter(([, s]) => s.volumes?.some((v) => v.startsWith('nats-ca-key:')));
    expect(withCaKey.map(([name]) => name)).toEqual(['nats-tls']);
    expect(services.migrate!.depends_on).toMatchObject({ 'nats-1': { condition: 'service_healthy' } });
  });

  it('configures nodes that nats-server accepts: TLS for clients and routes, the users included, monitoring on loopback', () => {
    const config = readFileSync(deployFile('nats-cluster.conf'), 'utf8');
    expect(config).toContain('include ./nats-accounts.conf');
    expect(config).toMatch(/^http: 127\.0\.0\.1:8222$/m);
    expect(config.match(/cert_file: \/etc\/nats\/tls\/server\.pem/g)).toHaveLength(2);
    // The files as the nodes mount them, with certificates from the compose job's script.
    const dir = mkdtempSync(path.join(tmpdir(), 'nats-conf-'));
    const tls = { ca: path.join(dir, 'ca'), caKey: path.join(dir, 'ca-key'), server: path.join(dir, 'server') };
    for (const d of Object.values(tls)) mkdirSync(d);
    execFileSync('sh', [deployFile('nats-tls.sh')], {
      env: { PATH: process.env.PATH, NATS_TLS_CA_DIR: tls.ca, NATS_TLS_CA_KEY_DIR: tls.caKey, NATS_TLS_SERVER_DIR: tls.server, NATS_TLS_HOSTS: 'nats-1 nats-2 nats-3' },
      stdio: 'pipe',
    });
    writeFileSync(path.join(dir, 'nats-cluster.conf'), config.replaceAll('/etc/nats/tls/', `${tls.server}/`).replaceAll('/etc/nats/ca/', `${tls.ca}/`).replace('store_dir: /data', `store_dir: ${JSON.stringify(path.join(dir, 'data'))}`));
    writeFileSync(path.join(dir, 'nats-accounts.conf'), readFileSync(deployFile('nats-accounts.conf')));
    const passwords = Object.fromEntries(NATS_ROLES.map((role) => [natsPasswordVariable(role), `pw${role}`]));
    const check = spawnSync(ensureTools().natsServer, ['-t', '-c', path.join(dir, 'nats-cluster.conf')], { env: { SERVER_NAME: 'nats-1', ...passwords }, encoding: 'utf8' });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    const { NATS_OPERATOR_PASSWORD: _, ...withoutOne } = passwords;
    expect(spawnSync(ensureTools().natsServer, ['-t', '-c', path.join(dir, 'nats-cluster.conf')], { env: { SERVER_NAME: 'nats-1', ...withoutOne }, encoding: 'utf8' }).status).not.toBe(0);
  });

  it('runs an image that starts with plain node as an unprivileged user, the workflows bundled at build', () => {
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toContain('ENTRYPOINT ["node", "dist/src/main.js"]');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toContain('ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js');
    expect(runtime).not.toContain('tsx');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    for (const devOnly of ['tsx', '@temporalio/testing', 'vitest', 'playwright-core']) expect(pkg.dependencies[devOnly], devOnly).toBeUndefined();
  });
});

describe('docker-compose config', () => {
  const passwords = Object.fromEntries(
    ['POSTGRES', 'CHECKOUT_DB_OWNER', 'CHECKOUT_DB_APP', 'TEMPORAL_DB', ...NATS_ROLES.map((role) => `NATS_${role.toUpperCase()}`)].map((user) => [`${user}_PASSWORD`, `pw${user.toLowerCase()}`]),
  );
  const productionKeys: Record<string, string> = { MERCHANTS: `mer_acme:${'a'.repeat(64)}`, OPERATOR_KEY_HASHES: 'b'.repeat(64), PAYLOAD_KEYS: 'k1:c2VjcmV0', FRAUD_FINGERPRINT_KEY: 'f'.repeat(32), ...passwords };
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
    // Each service's own environment merged over the shared one: its credentials, and the shared settings.
    expect(resolved.migrate!.environment).toMatchObject({ NATS_USER: 'migrate', NATS_PASSWORD: 'pwnats_migrate', DATABASE_URL: 'postgres://checkout_owner:pwcheckout_db_owner@postgresql:5432/checkout' });
    for (const role of natsRoles.filter((r) => r !== 'migrate')) {
      expect(resolved[role]!.environment, role).toMatchObject({
        NODE_ENV: 'production',
        NATS_USER: role,
        NATS_PASSWORD: `pwnats_${role}`,
        NATS_TLS_CA_FILE: '/etc/nats/ca/ca.pem',
        DATABASE_URL: 'postgres://checkout_app:pwcheckout_db_app@postgresql:5432/checkout',
      });
    }
    expect(resolved['nats-3']!.environment).toMatchObject({ SERVER_NAME: 'nats-3', NATS_WORKER_PASSWORD: 'pwnats_worker' });
    expect(resolved.simulators!.environment).toMatchObject({ NODE_ENV: 'production', FRAUD_FINGERPRINT_KEY: productionKeys.FRAUD_FINGERPRINT_KEY });
  });

  it('refuses to resolve without a password of the database or NATS users, naming the one missing', () => {
    for (const name of ['CHECKOUT_DB_APP_PASSWORD', 'NATS_OPERATOR_PASSWORD', 'POSTGRES_PASSWORD']) {
      const { [name]: _, ...without } = productionKeys;
      const result = config(without);
      expect(result.status, name).not.toBe(0);
      expect(result.stderr, name).toContain(`set ${name}`);
    }
  });

  it('refuses to resolve without the production keys, naming the one missing', () => {
    const { MERCHANTS: _, ...withoutMerchants } = productionKeys;
    const result = config(withoutMerchants);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set MERCHANTS to mer_<name>:<sha256 of the merchant key>');
  });
});

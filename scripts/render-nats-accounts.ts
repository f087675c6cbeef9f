/**
 * `npm run nats:accounts`: writes deploy/nats-accounts.conf, the NATS users of docker-compose.yml, from
 * src/roles/nats-permissions.ts. Run it after changing what a role sends to NATS; test/nats/role-permissions.test.ts
 * fails until the file matches the module.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderNatsAccounts } from '../src/roles/nats-permissions.ts';

const file = fileURLToPath(new URL('../deploy/nats-accounts.conf', import.meta.url));
writeFileSync(file, renderNatsAccounts());
console.log(`wrote ${file}`);

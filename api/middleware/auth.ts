/** Bearer-key authentication: keys are compared by SHA-256 hash in constant time; operators can do what merchants can. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { derivedId } from '../../src/ids.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps, AppEnv, Principal } from '../context.ts';

const REALM = 'Bearer realm="durable-checkout"';

const digest = (hex: string) => Buffer.from(hex, 'hex');

/** True when `hash` equals any of `hashes`; always compares against all of them. */
function anyEqual(hashes: Buffer[], hash: Buffer): boolean {
  let found = false;
  for (const candidate of hashes) found = (candidate.length === hash.length && timingSafeEqual(candidate, hash)) || found;
  return found;
}

/** The key of an `Authorization: Bearer <key>` header, if that is what it is. */
export const bearerKeyOf = (header: string | undefined): string | undefined => (header ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined);

/** A test of a presented key against SHA-256 digests (hex) of accepted keys, in constant time. */
export function keyChecker(hexHashes: string[]): (key: string) => boolean {
  const hashes = hexHashes.map(digest);
  return (key) => anyEqual(hashes, createHash('sha256').update(key).digest());
}

/** Resolves `Authorization: Bearer <key>` to a principal, or throws 401. */
export function authenticate(auth: AppDeps['auth']): MiddlewareHandler<AppEnv> {
  const merchants = auth.merchantKeyHashes.map(digest);
  const operators = auth.operatorKeyHashes.map(digest);
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      throw new ApiError('unauthorized', 'Send your API key as `Authorization: Bearer <key>`.', { headers: { 'www-authenticate': REALM } });
    }
    const key = bearerKeyOf(header);
    const hash = key !== undefined ? createHash('sha256').update(key).digest() : null;
    const role: Principal['role'] | null = !hash ? null : anyEqual(operators, hash) ? 'operator' : anyEqual(merchants, hash) ? 'merchant' : null;
    if (!hash || !role) {
      throw new ApiError('unauthorized', 'The API key is not valid.', { headers: { 'www-authenticate': `${REALM}, error="invalid_token"` } });
    }
    c.set('principal', { role, id: derivedId(role === 'operator' ? 'opr' : 'mer', hash.toString('hex')) });
    await next();
  };
}

/** Lets only the given role through (after `authenticate`); others get 403. */
export function requireRole(role: 'operator'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('principal').role !== role) {
      throw new ApiError('forbidden', `This operation needs an ${role} key.`, {
        headers: { 'www-authenticate': `${REALM}, error="insufficient_scope"` },
      });
    }
    await next();
  };
}

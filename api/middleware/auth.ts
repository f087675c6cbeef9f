/**
 * Bearer-key authentication: keys are compared by SHA-256 digest in constant time and resolve to a principal,
 * a merchant or an operator by its configured id (every key of one is the same principal). Operators can do
 * what merchants can.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppDeps, AppEnv, Principal } from '../context.ts';

export const REALM = 'Bearer realm="durable-checkout"';

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

/** The principal a key belongs to, or null; every configured digest is compared, whichever matches. */
export function keyDirectory(auth: AppDeps['auth']): (key: string) => Principal | null {
  const principals = [
    ...auth.operators.map((o) => ({ role: 'operator' as const, id: o.id, hashes: o.keyHashes.map(digest) })),
    ...auth.merchants.map((m) => ({ role: 'merchant' as const, id: m.id, hashes: m.keyHashes.map(digest) })),
  ];
  return (key) => {
    const hash = createHash('sha256').update(key).digest();
    let found: Principal | null = null;
    for (const { role, id, hashes } of principals) if (anyEqual(hashes, hash) && !found) found = { role, id };
    return found;
  };
}

/** Why a request did not authenticate: no credentials at all, or credentials that are not a key we know. */
export type Unauthenticated = 'missing' | 'invalid';

/**
 * Resolves `Authorization: Bearer <key>` to a principal, or throws 401. `onRejected` runs first (the
 * rate limit of unauthenticated callers), so it may throw a 429 instead.
 */
export function authenticate(auth: AppDeps['auth'], onRejected: (c: Context<AppEnv>, why: Unauthenticated) => void | Promise<void> = () => undefined): MiddlewareHandler<AppEnv> {
  const identify = keyDirectory(auth);
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      await onRejected(c, 'missing');
      throw new ApiError('unauthorized', 'Send your API key as `Authorization: Bearer <key>`.', { headers: { 'www-authenticate': REALM } });
    }
    const key = bearerKeyOf(header);
    const principal = key === undefined ? null : identify(key);
    if (!principal) {
      await onRejected(c, 'invalid');
      throw new ApiError('unauthorized', 'The API key is not valid.', { headers: { 'www-authenticate': `${REALM}, error="invalid_token"` } });
    }
    c.set('principal', principal);
    await next();
  };
}

/** Lets only the given role through (after `authenticate`); others get 403. */
export function requireRole(role: 'operator' | 'merchant'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('principal').role !== role) {
      throw new ApiError('forbidden', `This operation needs a${role === 'operator' ? 'n' : ''} ${role} key.`, {
        headers: { 'www-authenticate': `${REALM}, error="insufficient_scope"` },
      });
    }
    await next();
  };
}

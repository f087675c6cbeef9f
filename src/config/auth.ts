/**
 * The keys section: merchants and operators with the SHA-256 digests of their keys, and the development keys
 * the local stack uses.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { derivedId } from '../platform/ids.ts';
import { flag, invalid } from './settings.ts';

/** The development keys accepted when ENABLE_DEV_KEYS=true (never in production), printed by the local stack. */
export const DEV_KEYS = { merchant: 'dev_merchant_key', operator: 'dev_operator_key' } as const;
/** The merchant the development merchant key belongs to. */
export const DEV_MERCHANT_ID = 'mer_dev';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A merchant or an operator and the SHA-256 digests of its keys: several while a key is being rotated, one identity. */
export interface PrincipalKeys {
  id: string;
  keyHashes: string[];
}

/**
 * `mer_acme:<sha256>,mer_acme:<sha256>,mer_globex:<sha256>`: an id may repeat (one principal, several keys), a
 * digest may not. `unnamed`: an entry may be a bare digest, whose principal's id derives from it.
 */
function principalKeys(prefix: 'mer' | 'opr', example: string, unnamed?: (hash: string) => string) {
  const role = prefix === 'mer' ? 'merchant' : 'operator';
  const idPattern = new RegExp(`^${prefix}_[A-Za-z0-9_-]{1,60}$`);
  return z.string().transform((value, ctx): PrincipalKeys[] => {
    const byId = new Map<string, string[]>();
    const owner = new Map<string, string>();
    for (const [index, entry] of value.split(',').map((s) => s.trim()).filter(Boolean).entries()) {
      const parts = entry.split(':');
      const bare = parts.length === 1 && unnamed !== undefined;
      const [id = '', hash = ''] = bare ? [unnamed(entry), entry] : parts;
      if (!idPattern.test(id) || parts.length > 2) {
        // Named by its position: what stands where the id should may be a key pasted in the wrong place.
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1} must be <${role}Id>:<sha256 hex>${unnamed ? ' or a bare digest' : ''}, the id like ${example} (${prefix}_ then letters, digits, _ or -)` });
        continue;
      }
      if (!/^[0-9a-f]{64}$/.test(hash)) {
        ctx.addIssue({ code: 'custom', message: `the key of ${bare ? 'an entry' : id} must be a SHA-256 hex digest of the key (printf %s "$KEY" | sha256sum), not the key itself` });
        continue;
      }
      const earlier = owner.get(hash);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', message: `the same key digest is listed ${earlier === id ? `twice for ${id}` : `for both ${earlier} and ${id}`}` });
        continue;
      }
      owner.set(hash, id);
      byId.set(id, [...(byId.get(id) ?? []), hash]);
    }
    return [...byId].map(([id, keyHashes]) => ({ id, keyHashes }));
  });
}

/** An operator of a bare digest in OPERATOR_KEY_HASHES: its id is derived from the digest, as it always was. */
const operatorIdOfDigest = (hash: string) => derivedId('opr', hash);

/** The development operator key, listed as a bare digest would be. */
function devOperator(): PrincipalKeys {
  const hash = hashApiKey(DEV_KEYS.operator);
  return { id: operatorIdOfDigest(hash), keyHashes: [hash] };
}

const authSchema = z.object({
  MERCHANTS: principalKeys('mer', 'mer_acme').default([]).describe('merchants and their keys\' SHA-256 digests: `mer_acme:<hex>,mer_acme:<hex>,mer_globex:<hex>` (`printf %s "$KEY" | sha256sum`); see [Tenancy](api.md#merchants-operators-and-keys)'),
  MERCHANT_KEY_HASHES: z.string().optional().describe('replaced by `MERCHANTS`; when set, the process stops with a message saying how to write `MERCHANTS`'),
  /**
   * Operators and their keys' SHA-256 digests, `opr_alice:<hex>,…` like MERCHANTS, so an operator keeps its id
   * (the `reviewedBy` of its decisions) when its key is rotated; a bare `<hex>` is an operator of its own.
   */
  OPERATOR_KEY_HASHES: principalKeys('opr', 'opr_alice', operatorIdOfDigest).default([]).describe("operators and their keys' SHA-256 hex digests, `opr_alice:<sha256>,…` (an id may repeat: one operator, several keys); a bare `<sha256>` is an operator whose id derives from the digest"),
  ENABLE_DEV_KEYS: flag.default(false).describe("accept `dev_merchant_key` (merchant `mer_dev`) and `dev_operator_key`; refused in production; `npm start`'s local stack sets `true`"),
});
export const authEnv = authSchema.shape;
type AuthEnv = z.infer<typeof authSchema>;

/** Accepted API keys as SHA-256 digests: merchants by id, operators; the development keys when enabled. */
export interface AuthConfig {
  merchants: PrincipalKeys[];
  operators: PrincipalKeys[];
  devKeys: boolean;
}

export function authOf(e: AuthEnv, { production }: { production: boolean }): AuthConfig {
  const devKeys = e.ENABLE_DEV_KEYS;
  if (e.MERCHANT_KEY_HASHES !== undefined) {
    throw invalid(
      'MERCHANT_KEY_HASHES is replaced by MERCHANTS, which names the merchant each key belongs to: ' +
        'MERCHANTS=mer_acme:<sha256 of key>,mer_acme:<sha256 of its next key>,mer_globex:<sha256>',
    );
  }
  if (production && devKeys) throw invalid('ENABLE_DEV_KEYS=true is refused in production: the development keys are public');
  if (production && e.MERCHANTS.length === 0 && e.OPERATOR_KEY_HASHES.length === 0) {
    throw invalid(
      'MERCHANTS and OPERATOR_KEY_HASHES are both empty in production, so no request could authenticate. ' +
        'Set them to SHA-256 hex digests of your keys (e.g. `printf %s "$KEY" | sha256sum`).',
    );
  }
  const merchantHashes = new Set(e.MERCHANTS.flatMap((m) => m.keyHashes));
  const shared = e.OPERATOR_KEY_HASHES.flatMap((o) => o.keyHashes).find((hash) => merchantHashes.has(hash));
  if (shared !== undefined) throw invalid(`OPERATOR_KEY_HASHES: the digest ${shared.slice(0, 12)}… is also a merchant key in MERCHANTS; a key has one role`);
  return {
    merchants: [...e.MERCHANTS, ...(devKeys ? [{ id: DEV_MERCHANT_ID, keyHashes: [hashApiKey(DEV_KEYS.merchant)] }] : [])],
    operators: [...e.OPERATOR_KEY_HASHES, ...(devKeys ? [devOperator()] : [])],
    devKeys,
  };
}

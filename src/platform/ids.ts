/** Prefixed, URL-safe identifiers, Stripe-style: the prefix says what the id names. */
import { createHash, randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

function encode(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  return out;
}

/** A new random id, e.g. `chk_3k9…`. */
export const newId = (prefix: string) => `${prefix}_${encode(randomBytes(20), 20)}`;

/** A deterministic id from its parts, so the same parts always name the same thing. */
export const derivedId = (prefix: string, ...parts: string[]) =>
  `${prefix}_${encode(createHash('sha256').update(parts.join('\u0000')).digest(), 20)}`;

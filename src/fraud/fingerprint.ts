/**
 * One-way stand-ins for data a service needs to recognise but not to hold: the fraud service matches a card or
 * an email address it has seen before by its fingerprint, and cannot charge the card or write to the address.
 */
import { createHmac } from 'node:crypto';

/**
 * The key of the fingerprints outside production (FRAUD_FINGERPRINT_KEY there): public, like the development
 * API keys. Keyed, a fingerprint cannot be reversed by hashing a dictionary of emails or test tokens.
 */
export const DEVELOPMENT_FINGERPRINT_KEY = 'durable-checkout development fingerprints';

/** HMAC-SHA256 of `value` under `key`, 32 hex digits: the same value always gives the same fingerprint. */
export const fingerprintOf = (value: string, key: string = DEVELOPMENT_FINGERPRINT_KEY) => createHmac('sha256', key).update(value).digest('hex').slice(0, 32);

/** Email addresses compare case-insensitively, so their fingerprint is of the lower-cased address. */
export const emailFingerprintOf = (email: string, key?: string) => fingerprintOf(email.trim().toLowerCase(), key);

export const emailDomainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

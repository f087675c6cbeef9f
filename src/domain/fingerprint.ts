/**
 * One-way stand-ins for data a service needs to recognise but not to hold: the fraud service matches a card or
 * an email address it has seen before by its fingerprint, and cannot charge the card or write to the address.
 */
import { createHash } from 'node:crypto';

export const fingerprintOf = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/** Email addresses compare case-insensitively, so their fingerprint is of the lower-cased address. */
export const emailFingerprintOf = (email: string) => fingerprintOf(email.trim().toLowerCase());

export const emailDomainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

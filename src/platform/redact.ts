/**
 * Personal data and secrets out of text that leaves the service's own tables — logs, dead-letter reasons,
 * delivery errors: email addresses masked to their first letter and domain, payment tokens to their
 * prefix, phone numbers to their last two digits, and URL passwords hidden. Error texts from outside (an SMTP server naming the recipient) pass
 * through here before they are stored or logged.
 */

/** `ada@example.com` → `a***@example.com`. */
export const maskEmail = (address: string) => address.replace(/^(.).*(@.*)$/, '$1***$2');

/** `+15550100123` → `+***23`. */
const maskPhone = (phone: string) => `+***${phone.slice(-2)}`;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const TOKEN = /\btok_[A-Za-z0-9]+/g;
/** A phone number as providers and customers write it: `+` and 8–15 digits, maybe spaced or dashed. */
const PHONE = /\+\d(?:[ -]?\d){7,14}\b/g;
/**
 * A URL's scheme and user part: everything up to the last `@` before the next URL of a comma-separated list
 * or a blank — a password may hold `/`, `,` or `@` unencoded, so this masks too much rather than too little.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)((?:(?!,[a-z][a-z0-9+.-]*:\/\/)\S)*)@/gi;

/**
 * Credentials out of every URL in `text`: `smtp://user:pass@host` → `smtp://user:***@host`, and a lone user
 * part, which for NATS is a token (`nats://s3cret@host`), → `nats://***@host`.
 */
export const hideUrlCredentials = (text: string) =>
  text.replace(URL_USERINFO, (_match, scheme: string, info: string) => `${scheme}${info.includes(':') ? `${info.slice(0, info.indexOf(':'))}:***` : '***'}@`);

export function redactPersonalData(text: string): string {
  return hideUrlCredentials(text)
    .replace(EMAIL, (address) => maskEmail(address))
    .replace(TOKEN, 'tok_***')
    .replace(PHONE, maskPhone);
}

/** Fields of an event or a request whose values are a person's: masked wherever they appear. */
const PERSONAL_FIELDS: Record<string, (value: string) => string> = {
  email: maskEmail,
  name: (value) => `${value.slice(0, 1)}***`,
  phone: maskPhone,
  deviceToken: () => '***',
  token: () => 'tok_***',
  line1: () => '***',
  line2: () => '***',
  postalCode: () => '***',
};

/**
 * A JSON value with its personal fields masked (an event's customer, a shipping address), and whatever text
 * is left passed through `redactPersonalData`: what an operator sees of a message unless asked to reveal it.
 */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return redactPersonalData(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => {
      const mask = Object.hasOwn(PERSONAL_FIELDS, key) ? PERSONAL_FIELDS[key] : undefined;
      return [key, mask && typeof field === 'string' ? mask(field) : redactJson(field)];
    }),
  );
}


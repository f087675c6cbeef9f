/**
 * Which URLs a merchant's endpoint may have, and which addresses a delivery may connect to. A merchant must
 * not make the service call into its own network (SSRF): loopback, private, link-local (cloud metadata),
 * carrier-grade NAT and other reserved ranges are refused — checked when the endpoint is registered, and
 * again on every connection, against the address DNS gave (a name can point elsewhere later). The local
 * stack may allow them, to deliver to a receiver on the same machine.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const reserved = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  reserved.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  reserved.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address an IPv4-mapped IPv6 address carries (`::ffff:1.2.3.4` or `::ffff:102:304`), if it is one. */
function mappedIpv4(address: string): string | null {
  const match = /^(?:0{0,4}:){0,5}:?ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!match) return null;
  if (match[1]) return match[1];
  const [high, low] = [parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether `address` is one a delivery must not reach unless private addresses are allowed. */
export const isReservedAddress = (address: string) => {
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
  const mapped = mappedIpv4(address);
  if (mapped) return reserved.check(mapped, 'ipv4');
  const family = isIP(address);
  return family === 4 ? reserved.check(address, 'ipv4') : family === 6 ? reserved.check(address, 'ipv6') : true;
};

/** Why `raw` cannot be an endpoint URL, or null when it can. */
export function endpointUrlProblem(raw: string, { allowPrivate }: { allowPrivate: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'must use https';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate) {
    if (isIP(host) && isReservedAddress(host)) return `must not point at a private, loopback or reserved address (${host})`;
    if (/^localhost$|\.localhost$|\.internal$|\.local$/i.test(host)) return `must not point at a local name (${host})`;
  }
  return null;
}

/** A refusal to connect to a reserved address: the delivery fails (and is retried like any failure). */
export class ReservedAddressError extends Error {
  override name = 'ReservedAddressError';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request`: resolves as usual, then refuses when any address is reserved, so the
 * connection is made only to an address that was checked.
 */
export function guardedLookup({ allowPrivate }: { allowPrivate: boolean }) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((a) => isReservedAddress(a.address));
      if (refused) return callback(new ReservedAddressError(`${hostname} resolves to ${refused.address}, a private or reserved address`), []);
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

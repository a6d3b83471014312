// Socket address helpers.

import { parseIpv6Groups } from '../acl/ip.ts';

const MAPPED_PREFIX = '::ffff:';

/** An IPv4-mapped IPv6 address (from a dual-stack socket) as plain IPv4; others unchanged. */
export function plainAddress(address: string): string {
  if (address.length > MAPPED_PREFIX.length && address.startsWith(MAPPED_PREFIX) && address.includes('.')) {
    return address.slice(MAPPED_PREFIX.length);
  }
  return address;
}

/** Destination for a socket of the given family: IPv4 through an IPv6 socket becomes IPv4-mapped. */
export function addressForFamily(address: string, family: 4 | 6): string {
  if (family === 6 && !address.includes(':')) return MAPPED_PREFIX + address;
  return address;
}

const groups = new Uint16Array(8);

/**
 * The key connection caps count by: the IPv4 address itself, or the /64 an IPv6 address is in
 * (one subscriber typically holds a whole /64).
 */
export function sourceKey(address: string): string {
  if (!address.includes(':')) return address;
  const zone = address.indexOf('%');
  if (!parseIpv6Groups(address, 0, zone >= 0 ? zone : address.length, groups)) return address;
  return `${groups[0]!.toString(16)}:${groups[1]!.toString(16)}:${groups[2]!.toString(16)}:${groups[3]!.toString(16)}::/64`;
}

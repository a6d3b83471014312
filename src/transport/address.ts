// Socket address helpers.

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

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

/** Expands an IPv6 text address into its eight 16-bit groups; null when it is not IPv6 text. */
function ipv6Groups(address: string): number[] | null {
  const zone = address.indexOf('%');
  const text = zone >= 0 ? address.slice(0, zone) : address;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        const octets = group.split('.').map(Number);
        if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) return null;
        out.push(octets[0]! * 256 + octets[1]!, octets[2]! * 256 + octets[3]!);
      } else {
        const value = Number.parseInt(group, 16);
        if (group.length === 0 || group.length > 4 || Number.isNaN(value)) return null;
        out.push(value);
      }
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/**
 * The key connection caps count by: the IPv4 address itself, or the /64 an IPv6 address is in
 * (one subscriber typically holds a whole /64).
 */
export function sourceKey(address: string): string {
  if (!address.includes(':')) return address;
  const groups = ipv6Groups(address);
  if (groups === null) return address;
  return groups.slice(0, 4).map((g) => g.toString(16)).join(':') + '::/64';
}

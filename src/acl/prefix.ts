// ACL prefixes: validation and canonical form for the control plane, and the address range a
// prefix covers for the matcher.
import { formatIp, parseIp, unmapIp, type IpAddress } from './ip.ts';

/** One ACL entry; structurally identical to AclPrefix in src/gate/view.ts. */
export interface AclPrefix {
  /** IPv4 dotted quad or IPv6 (canonical lowercase, compressed). */
  address: string;
  /** 0..32 for IPv4, 0..128 for IPv6. */
  prefixLength: number;
}

/** Bits in an address of the family. */
export function addressBits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

/**
 * Validates an address and prefix length (default: the full length, as Twilio's
 * cidr_prefix_length defaults to 32) and returns the canonical entry, or null. Host bits below the
 * prefix are kept as given (the matcher ignores them).
 */
export function parsePrefix(address: string, prefixLength?: number): AclPrefix | null {
  const ip = parseIp(address);
  if (ip === null) return null;
  const bits = addressBits(ip.family);
  const length = prefixLength ?? bits;
  if (!Number.isInteger(length) || length < 0 || length > bits) return null;
  return { address: formatIp(ip), prefixLength: length };
}

/** Parses `address/length` or a bare address; null when invalid. */
export function parseCidr(text: string): AclPrefix | null {
  const slash = text.indexOf('/');
  if (slash < 0) return parsePrefix(text);
  const lengthText = text.slice(slash + 1);
  if (lengthText.length === 0 || lengthText.length > 3) return null;
  for (let i = 0; i < lengthText.length; i++) {
    const c = lengthText.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
  }
  if (lengthText.length > 1 && lengthText.charCodeAt(0) === 0x30) return null;
  return parsePrefix(text.slice(0, slash), Number(lengthText));
}

/** The prefix with host bits cleared, e.g. 10.1.2.3/8 → 10.0.0.0/8; null when invalid. */
export function networkOf(prefix: AclPrefix): AclPrefix | null {
  const parsed = parsePrefix(prefix.address, prefix.prefixLength);
  if (parsed === null) return null;
  const ip = parseIp(parsed.address) as IpAddress;
  clearHostBits(ip.bytes, parsed.prefixLength);
  return { address: formatIp(ip), prefixLength: parsed.prefixLength };
}

function clearHostBits(bytes: Uint8Array, prefixLength: number): void {
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.min(8, Math.max(0, prefixLength - 8 * i));
    bytes[i] &= (0xff00 >>> keep) & 0xff;
  }
}

/**
 * The range a prefix covers, as first and last address bytes, in the family it matches against:
 * an IPv4-mapped IPv6 prefix (::ffff:0:0/96 and longer) becomes the IPv4 prefix it stands for.
 * Other IPv6 prefixes never match IPv4 sources. Null when invalid.
 */
export function prefixRange(prefix: AclPrefix): { family: 4 | 6; first: Uint8Array; last: Uint8Array } | null {
  const parsed = parseIp(prefix.address);
  if (parsed === null) return null;
  const length = prefix.prefixLength;
  if (!Number.isInteger(length) || length < 0 || length > addressBits(parsed.family)) return null;
  let ip = parsed;
  let effective = length;
  const unmapped = unmapIp(parsed);
  if (unmapped !== parsed && length >= 96) {
    ip = unmapped;
    effective = length - 96;
  }
  const first = Uint8Array.from(ip.bytes);
  clearHostBits(first, effective);
  const last = Uint8Array.from(first);
  for (let i = 0; i < last.length; i++) {
    const keep = Math.min(8, Math.max(0, effective - 8 * i));
    last[i] |= 0xff >>> keep;
  }
  return { family: ip.family, first, last };
}

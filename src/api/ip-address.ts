// Validation and canonical form of IpAddress + CidrPrefixLength. IPv4 is Twilio's; IPv6 is our
// extension. Canonical IPv6 is RFC 5952 text (lowercase, compressed), as WHATWG URL prints it.
import { isIPv6 } from 'node:net';

export interface IpPrefix {
  address: string;
  prefixLength: number;
  family: 4 | 6;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Dotted quad without leading zeros (they are octal to some parsers); null when not IPv4. */
export function canonicalIpv4(text: string): string | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  for (const p of parts) if (!OCTET.test(p) || Number(p) > 255) return null;
  return parts.join('.');
}

/** Canonical IPv6 text, or null. Zones (%eth0) are refused: an ACL entry is not link-local scoped. */
export function canonicalIpv6(text: string): string | null {
  if (text.length > 45 || text.includes('%') || !isIPv6(text)) return null;
  const host = new URL(`http://[${text}]/`).hostname;
  return host.slice(1, -1);
}

export function parseIpAddress(text: string): { address: string; family: 4 | 6 } | null {
  const v4 = canonicalIpv4(text);
  if (v4) return { address: v4, family: 4 };
  const v6 = canonicalIpv6(text);
  return v6 ? { address: v6, family: 6 } : null;
}

export function maxPrefix(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

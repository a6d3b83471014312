// Validation and canonical form of IpAddress for the API, through src/acl so the text stored and
// put in compiled views is exactly what the edge's matcher parses. IPv4 is Twilio's; IPv6 is our
// extension. Zones (%eth0) and leading zeros are refused by src/acl's strict parser.
import { formatIp, parseIp } from '../acl/ip.ts';

export function parseIpAddress(text: string): { address: string; family: 4 | 6 } | null {
  const ip = parseIp(text);
  return ip ? { address: formatIp(ip), family: ip.family } : null;
}

/** Dotted quad text, or null when `text` is not an IPv4 address. */
export function canonicalIpv4(text: string): string | null {
  const ip = text.includes(':') ? null : parseIp(text);
  return ip && ip.family === 4 ? formatIp(ip) : null;
}

export function maxPrefix(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

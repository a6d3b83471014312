// IP address text ⇄ bytes without regular expressions: strict IPv4 dotted quads (no leading zeros,
// no shorthand), IPv6 per RFC 4291 §2.2 (with '::' and a trailing dotted quad), canonical text per
// RFC 5952 (lowercase, no leading zeros, the longest run of two or more zero groups as '::', and
// IPv4-mapped addresses as ::ffff:a.b.c.d).

export interface IpAddress {
  family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  bytes: Uint8Array;
}

/** Longest address text we look at (IPv6 with an embedded IPv4 is 45 characters). */
const MAX_TEXT = 45;

/**
 * Parses a dotted quad from text[start, end) into 32 bits (unsigned), or returns -1. Each part is
 * 1-3 digits, at most 255, without leading zeros.
 */
export function parseIpv4Bits(text: string, start: number, end: number): number {
  if (end - start < 7 || end - start > 15) return -1;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && part === 0) return -1;
      part = part * 10 + (c - 0x30);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 0x2e) {
      if (digits === 0 || parts === 3) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (digits === 0 || parts !== 3) return -1;
  return value * 256 + part;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Parses IPv6 text[start, end) into eight 16-bit groups written to `groups`; returns false when it is
 * not an IPv6 address. A zone (%...) is not accepted here.
 */
export function parseIpv6Groups(text: string, start: number, end: number, groups: Uint16Array): boolean {
  if (end - start < 2 || end - start > MAX_TEXT) return false;
  let count = 0;
  let gap = -1;
  let i = start;
  if (text.charCodeAt(i) === 0x3a) {
    if (text.charCodeAt(i + 1) !== 0x3a) return false;
    gap = 0;
    i += 2;
    if (i === end) {
      groups.fill(0);
      return true;
    }
  }
  for (;;) {
    // One group: 1-4 hex digits, or a dotted quad as the last 32 bits.
    const groupStart = i;
    let value = 0;
    while (i < end && i - groupStart < 5) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = (value << 4) | h;
      i++;
    }
    const length = i - groupStart;
    if (i < end && text.charCodeAt(i) === 0x2e) {
      if (count > 6) return false;
      const v4 = parseIpv4Bits(text, groupStart, end);
      if (v4 < 0) return false;
      groups[count++] = Math.floor(v4 / 65536);
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (length === 0 || length > 4 || count === 8) return false;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return false;
      gap = count;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0) return count === 8;
  if (count > 7) return false;
  const tail = count - gap;
  for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k];
  for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  return true;
}

/** Parses IPv4 or IPv6 text (no zone, no brackets, no surrounding space); null when invalid. */
export function parseIp(text: string): IpAddress | null {
  if (text.length > MAX_TEXT) return null;
  if (text.indexOf(':') < 0) {
    const bits = parseIpv4Bits(text, 0, text.length);
    if (bits < 0) return null;
    return { family: 4, bytes: Uint8Array.of(bits >>> 24, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff) };
  }
  const groups = new Uint16Array(8);
  if (!parseIpv6Groups(text, 0, text.length, groups)) return null;
  const bytes = new Uint8Array(16);
  for (let g = 0; g < 8; g++) {
    bytes[2 * g] = groups[g] >>> 8;
    bytes[2 * g + 1] = groups[g] & 0xff;
  }
  return { family: 6, bytes };
}

/** True for ::ffff:a.b.c.d. */
export function isIpv4Mapped(ip: IpAddress): boolean {
  if (ip.family !== 6) return false;
  for (let i = 0; i < 10; i++) if (ip.bytes[i] !== 0) return false;
  return ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
}

/** The IPv4 address an IPv4-mapped IPv6 address stands for; other addresses unchanged. */
export function unmapIp(ip: IpAddress): IpAddress {
  return isIpv4Mapped(ip) ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}

/** Canonical text: dotted quad, or RFC 5952 IPv6. */
export function formatIp(ip: IpAddress): string {
  const b = ip.bytes;
  if (ip.family === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (isIpv4Mapped(ip)) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups: number[] = [];
  for (let g = 0; g < 8; g++) groups.push((b[2 * g] << 8) | b[2 * g + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let g = 0; g < 8; ) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let end = g;
    while (end < 8 && groups[end] === 0) end++;
    if (end - g > bestLength) {
      bestStart = g;
      bestLength = end - g;
    }
    g = end;
  }
  if (bestStart < 0) return groups.map((v) => v.toString(16)).join(':');
  const head = groups.slice(0, bestStart).map((v) => v.toString(16)).join(':');
  const tail = groups.slice(bestStart + bestLength).map((v) => v.toString(16)).join(':');
  return `${head}::${tail}`;
}

/** Canonical text of an address, or null when `text` is not one. */
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text);
  return ip === null ? null : formatIp(ip);
}

// Character classes of RFC 3261 §25.1 as lookup tables over char codes 0..255.

function table(chars: string, ranges: Array<[number, number]> = []): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  for (const [a, b] of ranges) for (let c = a; c <= b; c++) t[c] = 1;
  return t;
}

const ALNUM: Array<[number, number]> = [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]];

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~", ALNUM);
/** Characters of a URI scheme after the first letter. */
export const SCHEME = table('+-.', ALNUM);
/** Hostname and IPv4 characters. */
export const HOSTNAME = table('-.', ALNUM);
/** Parameter value characters outside quotes: token plus what IPv6 addresses and hosts need. */
export const PARAM_VALUE = table("-.!%*_+`'~:[]", ALNUM);

/** Chars allowed in a Request-URI after the scheme: visible ASCII except < > " (no controls, no 8-bit). */
export const REQUEST_URI = table('', [[0x21, 0x7e]]);
REQUEST_URI[0x3c] = 0; REQUEST_URI[0x3e] = 0; REQUEST_URI[0x22] = 0;
/** Chars allowed in a URI inside a name-addr: as REQUEST_URI, plus 8-bit octets. */
export const NAME_ADDR_URI = table('', [[0x21, 0x7e], [0x80, 0xff]]);
NAME_ADDR_URI[0x3c] = 0; NAME_ADDR_URI[0x3e] = 0; NAME_ADDR_URI[0x22] = 0;

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * True when s[a..a+lower.length) spells `lower` (lowercase ASCII) in any case: letters match in
 * either case, every other char only itself ('\r' | 0x20 would also give '-'). No lowercase copy.
 */
export function matchesLower(s: string, a: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    const c = s.charCodeAt(a + k);
    const t = lower.charCodeAt(k);
    if (c !== t && (t < 0x61 || t > 0x7a || (c | 0x20) !== t)) return false;
  }
  return true;
}

/** Space or horizontal tab. */
export function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Index of the first non-WSP char at or after i. */
export function skipWsp(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
    i++;
  }
  return i;
}

/** Index of the first byte at or after i that is not SP or HTAB, not beyond end. */
export function skipWspBytes(s: Uint8Array, end: number, i: number): number {
  while (i < end) {
    const c = s[i]!;
    if (c !== 0x20 && c !== 0x09) break;
    i++;
  }
  return i;
}

/** True when the whole string is a token. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (TOKEN[s.charCodeAt(i)] !== 1) return false;
  return true;
}

/** Length of the URI scheme + ':' at the start of s (e.g. 4 for "sip:"), or 0 if none. */
export function schemeLength(s: string, start = 0, end = s.length): number {
  if (start >= end || !isAlpha(s.charCodeAt(start))) return 0;
  let i = start + 1;
  while (i < end && SCHEME[s.charCodeAt(i)] === 1) i++;
  if (i < end && s.charCodeAt(i) === 0x3a) return i - start + 1;
  return 0;
}

/** schemeLength over bytes: length of the scheme + ':' at b[start..end), or 0 if none. */
export function schemeLengthBytes(b: Uint8Array, start: number, end: number): number {
  if (start >= end || !isAlpha(b[start]!)) return 0;
  let i = start + 1;
  while (i < end && SCHEME[b[i]!] === 1) i++;
  if (i < end && b[i]! === 0x3a) return i - start + 1;
  return 0;
}

/** Parse a run of decimal digits s[a..b) (the whole string by default) not above max; -1 if not digits or too big. */
export function parseBoundedInt(s: string, max: number, a = 0, b = s.length): number {
  if (b <= a) return -1;
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
    if (n > max) return -1;
  }
  return n;
}

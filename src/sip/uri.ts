// SIP, SIPS (RFC 3261 §19.1) and TEL (RFC 3966) URIs. % escapes are kept as written.

import { HOSTNAME, isDigit, matchesLower, parseBoundedInt, schemeLength } from './chars.ts';

export interface SipUri {
  scheme: 'sip' | 'sips';
  user: string | undefined;
  password: string | undefined;
  /** Hostname, IPv4, or IPv6 reference with its brackets, as written. */
  host: string;
  port: number | undefined;
  /** URI parameters: lowercase name → value (null when there is no `=value`). */
  params: Map<string, string | null>;
  /** URI headers after '?', in order, names and values as written. */
  headers: Array<[string, string]>;
}

export interface TelUri {
  scheme: 'tel';
  /** The telephone-subscriber number, e.g. "+1-201-555-0123" or "7042". */
  number: string;
  params: Map<string, string | null>;
}

/** Chars that never appear unescaped in a SIP URI. */
function isForbidden(c: number): boolean {
  return c <= 0x20 || c === 0x7f || c === 0x3c || c === 0x3e || c === 0x22 || c >= 0x80;
}

// The parsers below work on index ranges of the one URI text: no split, and no substring is made
// before it is known to be kept.

/** Lowercase form of the ASCII text s[a..b) (URIs here hold no 8-bit chars), sliced only when needed. */
function lowerSlice(s: string, a: number, b: number): string {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return s.slice(a, b).toLowerCase();
  }
  return s.slice(a, b);
}

/** `name[=value]` parts of s[a..end) separated by ';' into the map (an empty range is no parameter). */
function parseParams(s: string, a: number, end: number, into: Map<string, string | null>): boolean {
  if (a >= end) return true;
  for (;;) {
    let partEnd = s.indexOf(';', a);
    if (partEnd < 0 || partEnd > end) partEnd = end;
    if (partEnd === a) return false;
    let eq = s.indexOf('=', a);
    if (eq >= partEnd) eq = -1;
    const nameEnd = eq < 0 ? partEnd : eq;
    if (nameEnd === a) return false;
    if (eq + 1 === partEnd) return false; // `name=` with an empty value
    into.set(lowerSlice(s, a, nameEnd), eq < 0 ? null : s.slice(eq + 1, partEnd));
    if (partEnd >= end) return true;
    a = partEnd + 1;
  }
}

/** s[a..b) is a hostname, an IPv4 address or a bracketed IPv6 reference. */
function isValidHost(s: string, a: number, b: number): boolean {
  if (b <= a) return false;
  if (s.charCodeAt(a) === 0x5b) {
    if (s.charCodeAt(b - 1) !== 0x5d || b - a < 4) return false;
    let colon = false;
    for (let i = a + 1; i < b - 1; i++) {
      const c = s.charCodeAt(i);
      const hex = isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
      if (c === 0x3a) colon = true;
      else if (!hex && c !== 0x2e) return false;
    }
    return colon;
  }
  for (let i = a; i < b; i++) if (HOSTNAME[s.charCodeAt(i)] !== 1) return false;
  return true;
}

function parseSip(text: string, scheme: 'sip' | 'sips', start: number): SipUri | null {
  const len = text.length;
  let user: string | undefined;
  let password: string | undefined;
  // userinfo: up to the first '@'; the password after its first ':'
  let hs = start;
  const at = text.indexOf('@', start);
  if (at >= 0) {
    const colon = text.indexOf(':', start);
    const userEnd = colon >= 0 && colon < at ? colon : at;
    if (userEnd === start) return null;
    user = text.slice(start, userEnd);
    if (userEnd < at) password = text.slice(colon + 1, at);
    hs = at + 1;
  }
  // hostport [; params] [? headers]
  const q = text.indexOf('?', hs);
  const end = q < 0 ? len : q;
  let semi = text.indexOf(';', hs);
  if (semi >= end) semi = -1;
  const hpEnd = semi < 0 ? end : semi;
  let hostEnd = hpEnd;
  let port: number | undefined;
  let colon: number;
  if (text.charCodeAt(hs) === 0x5b) {
    // [IPv6]: a port follows the last ':' when that is after the ']'
    let close = text.lastIndexOf(']', hpEnd - 1);
    if (close < hs) close = -1;
    colon = text.lastIndexOf(':', hpEnd - 1);
    if (colon < hs || colon < close) colon = -1;
  } else {
    // Otherwise after the first ':' (with a second ':' the host or the port is invalid either way)
    colon = text.indexOf(':', hs);
    if (colon >= hpEnd) colon = -1;
  }
  if (colon >= 0) {
    hostEnd = colon;
    const p = parseBoundedInt(text, 65535, colon + 1, hpEnd);
    if (p < 0) return null;
    port = p;
  }
  if (!isValidHost(text, hs, hostEnd)) return null;
  const params = new Map<string, string | null>();
  if (semi >= 0 && !parseParams(text, semi + 1, end, params)) return null;
  const headers: Array<[string, string]> = [];
  if (q >= 0 && q + 1 < len) {
    let a = q + 1;
    for (;;) {
      let partEnd = text.indexOf('&', a);
      if (partEnd < 0) partEnd = len;
      const eq = text.indexOf('=', a);
      if (eq <= a || eq >= partEnd) return null;
      headers.push([text.slice(a, eq), text.slice(eq + 1, partEnd)]);
      if (partEnd >= len) break;
      a = partEnd + 1;
    }
  }
  return { scheme, user, password, host: text.slice(hs, hostEnd), port, params, headers };
}

function parseTel(text: string, start: number): TelUri | null {
  const len = text.length;
  let semi = text.indexOf(';', start);
  if (semi < 0) semi = len;
  if (semi === start) return null;
  for (let i = start; i < semi; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3f || c === 0x40) return null; // '?' or '@'
  }
  const params = new Map<string, string | null>();
  if (semi < len && !parseParams(text, semi + 1, len, params)) return null;
  return { scheme: 'tel', number: text.slice(start, semi), params };
}

/** The scheme of s (n: schemeLength, ':' included) when it is sip, sips or tel in any case, else ''. */
function knownScheme(s: string, n: number): 'sip' | 'sips' | 'tel' | '' {
  if (n === 4) return matchesLower(s, 0, 'sip') ? 'sip' : matchesLower(s, 0, 'tel') ? 'tel' : '';
  return n === 5 && matchesLower(s, 0, 'sips') ? 'sips' : '';
}

/** Parse a sip:, sips: or tel: URI; null for any other scheme or a malformed URI. */
export function parseUri(text: string): SipUri | TelUri | null {
  const n = schemeLength(text);
  if (n === 0 || n === text.length) return null;
  for (let i = n; i < text.length; i++) if (isForbidden(text.charCodeAt(i))) return null;
  const scheme = knownScheme(text, n);
  if (scheme === 'sip' || scheme === 'sips') return parseSip(text, scheme, n);
  if (scheme === 'tel') return parseTel(text, n);
  return null;
}

function formatParams(params: Map<string, string | null>): string {
  let s = '';
  for (const [k, v] of params) s += v === null ? `;${k}` : `;${k}=${v}`;
  return s;
}

/** Text form of a parsed URI (parameter names lowercase). */
export function formatUri(uri: SipUri | TelUri): string {
  if (uri.scheme === 'tel') return `tel:${uri.number}${formatParams(uri.params)}`;
  let s = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    s += uri.user;
    if (uri.password !== undefined) s += `:${uri.password}`;
    s += '@';
  }
  s += uri.host;
  if (uri.port !== undefined) s += `:${uri.port}`;
  s += formatParams(uri.params);
  for (let i = 0; i < uri.headers.length; i++) {
    const [k, v] = uri.headers[i]!;
    s += `${i === 0 ? '?' : '&'}${k}=${v}`;
  }
  return s;
}

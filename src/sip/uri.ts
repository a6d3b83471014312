// SIP, SIPS (RFC 3261 §19.1) and TEL (RFC 3966) URIs. % escapes are kept as written.

import { HOSTNAME, isDigit, parseBoundedInt, schemeLength } from './chars.ts';

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

function parseParams(s: string, into: Map<string, string | null>): boolean {
  if (s === '') return true;
  for (const part of s.split(';')) {
    if (part === '') return false;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (name === '') return false;
    const value = eq < 0 ? null : part.slice(eq + 1);
    if (value === '') return false;
    into.set(name, value);
  }
  return true;
}

function isValidHost(host: string): boolean {
  if (host.length === 0) return false;
  if (host.charCodeAt(0) === 0x5b) {
    if (host.charCodeAt(host.length - 1) !== 0x5d || host.length < 4) return false;
    for (let i = 1; i < host.length - 1; i++) {
      const c = host.charCodeAt(i);
      const hex = isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
      if (!hex && c !== 0x3a && c !== 0x2e) return false;
    }
    return host.includes(':');
  }
  for (let i = 0; i < host.length; i++) if (HOSTNAME[host.charCodeAt(i)] !== 1) return false;
  return true;
}

function parseSip(text: string, scheme: 'sip' | 'sips', start: number): SipUri | null {
  let rest = text.slice(start);
  let headersPart = '';
  let user: string | undefined;
  let password: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    password = colon < 0 ? undefined : userinfo.slice(colon + 1);
    if (user === '') return null;
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    headersPart = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const semi = rest.indexOf(';');
  const hostport = semi < 0 ? rest : rest.slice(0, semi);
  const paramsPart = semi < 0 ? '' : rest.slice(semi + 1);
  let host = hostport;
  let port: number | undefined;
  const close = hostport.lastIndexOf(']');
  const colon = hostport.lastIndexOf(':');
  if (colon > close && (hostport.charCodeAt(0) === 0x5b || hostport.indexOf(':') === colon)) {
    host = hostport.slice(0, colon);
    const p = parseBoundedInt(hostport.slice(colon + 1), 65535);
    if (p < 0) return null;
    port = p;
  }
  if (!isValidHost(host)) return null;
  const params = new Map<string, string | null>();
  if (!parseParams(paramsPart, params)) return null;
  const headers: Array<[string, string]> = [];
  if (headersPart !== '') {
    for (const h of headersPart.split('&')) {
      const eq = h.indexOf('=');
      if (eq <= 0) return null;
      headers.push([h.slice(0, eq), h.slice(eq + 1)]);
    }
  }
  return { scheme, user, password, host, port, params, headers };
}

function parseTel(text: string, start: number): TelUri | null {
  const rest = text.slice(start);
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (number === '' || number.includes('?') || number.includes('@')) return null;
  const params = new Map<string, string | null>();
  if (!parseParams(semi < 0 ? '' : rest.slice(semi + 1), params)) return null;
  return { scheme: 'tel', number, params };
}

/** Parse a sip:, sips: or tel: URI; null for any other scheme or a malformed URI. */
export function parseUri(text: string): SipUri | TelUri | null {
  const n = schemeLength(text);
  if (n === 0 || n === text.length) return null;
  for (let i = n; i < text.length; i++) if (isForbidden(text.charCodeAt(i))) return null;
  const scheme = text.slice(0, n - 1).toLowerCase();
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
  if (uri.headers.length > 0) s += '?' + uri.headers.map(([k, v]) => `${k}=${v}`).join('&');
  return s;
}

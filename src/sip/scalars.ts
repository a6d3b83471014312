// Checks and small parsers for the scalar parts of a message: version, Request-URI, Call-ID,
// CSeq, option tags. Index-range forms work in place in the decoded header block.

import { REQUEST_URI, TOKEN, isDigit, isToken, schemeLengthBytes } from './chars.ts';
import { MAX_UINT32 } from './limits.ts';
import type { CSeq } from './message.ts';

/** 'SIP/' 1*DIGIT '.' 1*DIGIT — a version we can name as unsupported (505). */
export function isSomeSipVersion(v: string): boolean {
  if (!v.startsWith('SIP/')) return false;
  const dot = v.indexOf('.', 4);
  if (dot <= 4 || dot === v.length - 1) return false;
  for (let i = 4; i < v.length; i++) if (i !== dot && !isDigit(v.charCodeAt(i))) return false;
  return true;
}

/** bytes[a..b) is exactly "SIP/2.0" followed by the end (b) or a space. */
export function isSipVersion(bytes: Uint8Array, a: number, b: number): boolean {
  return b - a >= 7 && bytes[a] === 0x53 && bytes[a + 1] === 0x49 && bytes[a + 2] === 0x50 &&
    bytes[a + 3] === 0x2f && bytes[a + 4] === 0x32 && bytes[a + 5] === 0x2e && bytes[a + 6] === 0x30 &&
    (b - a === 7 || bytes[a + 7] === 0x20);
}

/** The message starts with "SIP/": a response's status line (a request starts with its method). */
export function startsAsResponse(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0x53 && bytes[1] === 0x49 && bytes[2] === 0x50 && bytes[3] === 0x2f;
}

// The checks below read the wire bytes (a Buffer or the latin1 text's bytes): indexing bytes is
// about twice as fast as charCodeAt on the decoded string.

/** Request-URI bytes[a..b): a scheme, then no whitespace, controls, <, >, " or non-ASCII. */
export function isValidRequestUri(bytes: Uint8Array, a: number, b: number): boolean {
  const n = schemeLengthBytes(bytes, a, b);
  if (n === 0 || a + n === b) return false;
  for (let i = a + n; i < b; i++) if (REQUEST_URI[bytes[i]!] !== 1) return false;
  return true;
}

/** Trim SP/HTAB (not other Unicode spaces: latin1 0xA0 can be part of UTF-8 text). */
export function trimWsp(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 0x20 || s.charCodeAt(a) === 0x09)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Call-ID bytes[a..b): non-empty, no whitespace or controls. */
export function isCallId(bytes: Uint8Array, a: number, b: number): boolean {
  if (b <= a) return false;
  for (let i = a; i < b; i++) {
    const c = bytes[i]!;
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

/**
 * CSeq bytes[a..b) (text: the latin1 text of bytes): 1*DIGIT (at most 2^32-1) LWS method-token.
 * When the method equals `method` (the request's), that string is shared instead of copied.
 */
export function parseCSeq(bytes: Uint8Array, text: string, a: number, b: number, method: string): CSeq | null {
  let i = a;
  let seq = 0;
  while (i < b && isDigit(bytes[i]!)) {
    seq = seq * 10 + (bytes[i]! - 0x30);
    if (seq > MAX_UINT32) return null;
    i++;
  }
  if (i === a) return null;
  const sp = i;
  while (i < b && (bytes[i]! === 0x20 || bytes[i]! === 0x09)) i++;
  if (i === sp || i === b) return null;
  for (let k = i; k < b; k++) if (TOKEN[bytes[k]!] !== 1) return null;
  return { seq, method: sameText(bytes, i, b, method) ? method : methodText(bytes, text, i, b) };
}

/** The usual methods (RFC 3261, 3262, 3265, 3311, 3428, 3515, 6086), as shared strings. */
const METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY',
  'UPDATE', 'MESSAGE', 'REFER', 'INFO', 'PUBLISH'];

/**
 * The method token bytes[a..b) as a string: one of the shared METHODS strings when it spells one
 * (no copy, and later comparisons with literals are pointer comparisons), else a slice of text.
 */
export function methodText(bytes: Uint8Array, text: string, a: number, b: number): string {
  const n = b - a;
  if (n >= 3 && n <= 9) {
    for (let k = 0; k < METHODS.length; k++) {
      const m = METHODS[k]!;
      if (m.length === n && m.charCodeAt(0) === bytes[a] && sameText(bytes, a, b, m)) return m;
    }
  }
  return text.slice(a, b);
}

/** True when bytes[a..b) spells t (latin1). */
function sameText(bytes: Uint8Array, a: number, b: number, t: string): boolean {
  if (b - a !== t.length) return false;
  for (let k = 0; k < t.length; k++) if (bytes[a + k]! !== t.charCodeAt(k)) return false;
  return true;
}

/** Comma-separated option tags (Proxy-Require) into out; false if one is not a token. */
export function parseOptionTags(v: string, out: string[]): boolean {
  if (v === '') return true;
  for (const part of v.split(',')) {
    const tag = trimWsp(part);
    if (!isToken(tag)) return false;
    out.push(tag);
  }
  return true;
}

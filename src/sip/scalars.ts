// Checks and small parsers for the scalar parts of a message: version, Request-URI, Call-ID,
// CSeq, option tags. Index-range forms work in place in the decoded header block.

import { REQUEST_URI, TOKEN, isDigit, isToken, schemeLength } from './chars.ts';
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

/** Request-URI s[a..b): a scheme, then no whitespace, controls, <, >, " or non-ASCII. */
export function isValidRequestUri(s: string, a: number, b: number): boolean {
  const n = schemeLength(s, a, b);
  if (n === 0 || a + n === b) return false;
  for (let i = a + n; i < b; i++) if (REQUEST_URI[s.charCodeAt(i)] !== 1) return false;
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

/** Call-ID s[a..b): non-empty, no whitespace or controls. */
export function isCallId(v: string, a: number, b: number): boolean {
  if (b <= a) return false;
  for (let i = a; i < b; i++) {
    const c = v.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** CSeq s[a..b): 1*DIGIT (at most 2^32-1) LWS method-token. */
export function parseCSeq(v: string, a: number, b: number): CSeq | null {
  let i = a;
  let seq = 0;
  while (i < b && isDigit(v.charCodeAt(i))) {
    seq = seq * 10 + (v.charCodeAt(i) - 0x30);
    if (seq > MAX_UINT32) return null;
    i++;
  }
  if (i === a) return null;
  const sp = i;
  while (i < b && (v.charCodeAt(i) === 0x20 || v.charCodeAt(i) === 0x09)) i++;
  if (i === sp || i === b) return null;
  for (let k = i; k < b; k++) if (TOKEN[v.charCodeAt(k)] !== 1) return null;
  return { seq, method: v.slice(i, b) };
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

// name-addr / addr-spec with header parameters (From, To, Route, Contact; RFC 3261 §20.10, §25.1).

import { PARAM_VALUE, TOKEN, isWsp, schemeLength, skipWsp } from './chars.ts';
import type { NameAddr, SipParams } from './message.ts';

/** Result of a cursor parse: the next index, or -1 on a syntax error. */
export interface Cursor {
  i: number;
}

/** Parse a quoted-string at s[i] === '"'; returns the unescaped content or null. Advances cur. */
export function parseQuoted(s: string, cur: Cursor): string | null {
  let i = cur.i + 1;
  let out = '';
  let from = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      out += s.slice(from, i);
      cur.i = i + 1;
      return out;
    }
    if (c === 0x5c) {
      if (i + 1 >= s.length) return null;
      const e = s.charCodeAt(i + 1);
      if (e === 0x0a || e === 0x0d) return null;
      out += s.slice(from, i);
      from = i + 1;
      i += 2;
      continue;
    }
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return null;
    i++;
  }
  return null;
}

/**
 * Parse `*( ";" name [ "=" value ] )` with optional whitespace, from cur.i, into params.
 * Stops before ',' or end; returns false on a syntax error (empty parameter, bad value).
 */
export function parseParams(s: string, cur: Cursor, params: SipParams): boolean {
  let i = skipWsp(s, cur.i);
  while (i < s.length && s.charCodeAt(i) === 0x3b) {
    i = skipWsp(s, i + 1);
    const nameStart = i;
    while (i < s.length && TOKEN[s.charCodeAt(i)] === 1) i++;
    if (i === nameStart) return false;
    const name = s.slice(nameStart, i).toLowerCase();
    i = skipWsp(s, i);
    let value: string | null = null;
    if (i < s.length && s.charCodeAt(i) === 0x3d) {
      i = skipWsp(s, i + 1);
      if (i < s.length && s.charCodeAt(i) === 0x22) {
        const q: Cursor = { i };
        const v = parseQuoted(s, q);
        if (v === null) return false;
        value = s.slice(i, q.i);
        i = q.i;
      } else {
        const valueStart = i;
        while (i < s.length && PARAM_VALUE[s.charCodeAt(i)] === 1) i++;
        if (i === valueStart) return false;
        value = s.slice(valueStart, i);
      }
      i = skipWsp(s, i);
    }
    params.set(name, value);
  }
  cur.i = i;
  return true;
}

/** Scan a display name made of tokens and whitespace; returns the index of '<' or -1. */
function tokensBeforeAngle(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x3c) return i;
    if (TOKEN[c] !== 1 && !isWsp(c)) return -1;
    i++;
  }
  return -1;
}

function validUriText(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  const n = schemeLength(s, start);
  if (n === 0 || start + n >= end) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x3c || c === 0x3e || c === 0x22) return false;
  }
  return true;
}

/**
 * Parse one name-addr or addr-spec with parameters starting at cur.i. In a list, stops at ','
 * (left for the caller); otherwise the value must end there. Returns null on a syntax error.
 */
export function parseNameAddr(s: string, cur: Cursor, inList: boolean): NameAddr | null {
  let i = skipWsp(s, cur.i);
  let displayName: string | undefined;
  let uri: string;
  const c = s.charCodeAt(i);
  let angle = -1;
  if (c === 0x22) {
    const q: Cursor = { i };
    const dn = parseQuoted(s, q);
    if (dn === null) return null;
    displayName = dn;
    i = skipWsp(s, q.i);
    if (s.charCodeAt(i) !== 0x3c) return null;
    angle = i;
  } else if (c === 0x3c) {
    angle = i;
  } else {
    const lt = tokensBeforeAngle(s, i);
    if (lt > i) {
      displayName = s.slice(i, lt).trim();
      angle = lt;
    }
  }
  if (angle >= 0) {
    const gt = s.indexOf('>', angle + 1);
    if (gt < 0 || !validUriText(s, angle + 1, gt)) return null;
    uri = s.slice(angle + 1, gt);
    i = gt + 1;
  } else {
    const start = i;
    while (i < s.length) {
      const ch = s.charCodeAt(i);
      if (ch === 0x3b || ch === 0x2c || isWsp(ch)) break;
      i++;
    }
    if (!validUriText(s, start, i)) return null;
    uri = s.slice(start, i);
  }
  const params: SipParams = new Map();
  const pc: Cursor = { i };
  if (!parseParams(s, pc, params)) return null;
  i = skipWsp(s, pc.i);
  if (i < s.length && !(inList && s.charCodeAt(i) === 0x2c)) return null;
  cur.i = i;
  const tag = params.get('tag');
  return { displayName, uri, tag: tag === null ? undefined : tag, params };
}

/** Parse a single name-addr header value (From, To). */
export function parseSingleNameAddr(s: string): NameAddr | null {
  return parseNameAddr(s, { i: 0 }, false);
}

/** Parse a comma-separated list of name-addrs (Route, Record-Route, Contact) into out. */
export function parseNameAddrList(s: string, out: NameAddr[]): boolean {
  const cur: Cursor = { i: 0 };
  for (;;) {
    const na = parseNameAddr(s, cur, true);
    if (na === null) return false;
    out.push(na);
    if (cur.i >= s.length) return true;
    cur.i++; // the ','
  }
}

// Header parameters (`;name[=value]` after a URI or a Via sent-by). The parser validates them
// in one pass without building anything, picking out the few it needs (tag, branch, received,
// rport); the full map is built from the raw text only when somebody asks for it.

import { PARAM_VALUE, TOKEN, skipWsp, skipWspBytes } from './chars.ts';

/** Parameters: lowercase name → value (null when the parameter has no `=value`). */
export type SipParams = Map<string, string | null>;

/** What one scan found. Reused between scans: read it before the next scan. */
export interface ParamScan {
  /** Index just past the last parameter (trailing whitespace skipped). */
  end: number;
  tag: string | null | undefined;
  branch: string | null | undefined;
  received: string | null | undefined;
  rport: string | null | undefined;
}

/** Skip a quoted-string starting at s[i] === '"' (ending before end); index after it, or -1. */
export function skipQuoted(s: string, i: number, end: number = s.length): number {
  i++;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = s.charCodeAt(i + 1);
      if (i + 1 >= end || e === 0x0a || e === 0x0d) return -1;
      i += 2;
      continue;
    }
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return -1;
    i++;
  }
  return -1;
}

// Scans over the bytes of the text (latin1: byte k is char k), which is faster than charCodeAt.

/** Skip a quoted-string starting at s[i] === '"' (ending before end); index after it, or -1. */
export function skipQuotedBytes(s: Uint8Array, i: number, end: number): number {
  i++;
  while (i < end) {
    const c = s[i]!;
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = s[i + 1]!;
      if (i + 1 >= end || e === 0x0a || e === 0x0d) return -1;
      i += 2;
      continue;
    }
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return -1;
    i++;
  }
  return -1;
}

function isNameBytes(s: Uint8Array, a: number, b: number, lower: string): boolean {
  if (b - a !== lower.length) return false;
  for (let k = 0; k < lower.length; k++) {
    if ((s[a + k]! | 0x20) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Validate `*( LWS? ";" LWS? token [ LWS? "=" LWS? (token / host / quoted-string) ] )` from i.
 * Stops at the first char that does not continue a parameter (',' or end for the caller to
 * judge). Returns false on an empty name or value.
 */
export function scanParamsBytes(s: Uint8Array, text: string, i: number, end: number, out: ParamScan): boolean {
  out.tag = undefined;
  out.branch = undefined;
  out.received = undefined;
  out.rport = undefined;
  i = skipWspBytes(s, end, i);
  while (i < end && s[i]! === 0x3b) {
    i = skipWspBytes(s, end, i + 1);
    const nameStart = i;
    while (i < end && TOKEN[s[i]!] === 1) i++;
    const nameEnd = i;
    if (nameEnd === nameStart) return false;
    i = skipWspBytes(s, end, i);
    let value: string | null = null;
    if (i < end && s[i]! === 0x3d) {
      i = skipWspBytes(s, end, i + 1);
      const valueStart = i;
      if (i < end && s[i]! === 0x22) {
        i = skipQuotedBytes(s, i, end);
        if (i < 0) return false;
      } else {
        while (i < end && PARAM_VALUE[s[i]!] === 1) i++;
        if (i === valueStart) return false;
      }
      const valueEnd = i;
      i = skipWspBytes(s, end, i);
      const n = nameEnd - nameStart;
      if (n === 3 || n === 5 || n === 6 || n === 8) value = text.slice(valueStart, valueEnd);
    }
    switch (nameEnd - nameStart) {
      case 3: if (isNameBytes(s, nameStart, nameEnd, 'tag')) out.tag ??= value; break;
      case 5: if (isNameBytes(s, nameStart, nameEnd, 'rport')) out.rport ??= value; break;
      case 6: if (isNameBytes(s, nameStart, nameEnd, 'branch')) out.branch ??= value; break;
      case 8: if (isNameBytes(s, nameStart, nameEnd, 'received')) out.received ??= value; break;
    }
  }
  out.end = i;
  return true;
}

/** Build the parameter map from text already accepted by scanParamsBytes (first occurrence wins). */
export function paramMap(text: string): SipParams {
  const map: SipParams = new Map();
  let i = skipWsp(text, 0);
  while (i < text.length && text.charCodeAt(i) === 0x3b) {
    i = skipWsp(text, i + 1);
    const nameStart = i;
    while (i < text.length && TOKEN[text.charCodeAt(i)] === 1) i++;
    if (i === nameStart) break;
    const name = text.slice(nameStart, i).toLowerCase();
    i = skipWsp(text, i);
    let value: string | null = null;
    if (i < text.length && text.charCodeAt(i) === 0x3d) {
      i = skipWsp(text, i + 1);
      const valueStart = i;
      if (text.charCodeAt(i) === 0x22) {
        i = skipQuoted(text, i);
        if (i < 0) break;
      } else {
        while (i < text.length && PARAM_VALUE[text.charCodeAt(i)] === 1) i++;
      }
      value = text.slice(valueStart, i);
      i = skipWsp(text, i);
    }
    if (!map.has(name)) map.set(name, value);
  }
  return map;
}

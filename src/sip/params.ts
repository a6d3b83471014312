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

const P_OTHER = 0;
const P_TAG = 1;
const P_RPORT = 2;
const P_BRANCH = 3;
const P_RECEIVED = 4;

/** Which of the parameters the parser keeps s[a..b) names (any case), or P_OTHER. */
function paramKind(s: Uint8Array, a: number, b: number): number {
  switch (b - a) {
    case 3:
      return (s[a]! | 0x20) === 0x74 && (s[a + 1]! | 0x20) === 0x61 && (s[a + 2]! | 0x20) === 0x67
        ? P_TAG : P_OTHER;
    case 5:
      return (s[a]! | 0x20) === 0x72 && (s[a + 1]! | 0x20) === 0x70 && (s[a + 2]! | 0x20) === 0x6f &&
        (s[a + 3]! | 0x20) === 0x72 && (s[a + 4]! | 0x20) === 0x74 ? P_RPORT : P_OTHER;
    case 6:
      return (s[a]! | 0x20) === 0x62 && (s[a + 1]! | 0x20) === 0x72 && (s[a + 2]! | 0x20) === 0x61 &&
        (s[a + 3]! | 0x20) === 0x6e && (s[a + 4]! | 0x20) === 0x63 && (s[a + 5]! | 0x20) === 0x68
        ? P_BRANCH : P_OTHER;
    case 8:
      return (s[a]! | 0x20) === 0x72 && (s[a + 1]! | 0x20) === 0x65 && (s[a + 2]! | 0x20) === 0x63 &&
        (s[a + 3]! | 0x20) === 0x65 && (s[a + 4]! | 0x20) === 0x69 && (s[a + 5]! | 0x20) === 0x76 &&
        (s[a + 6]! | 0x20) === 0x65 && (s[a + 7]! | 0x20) === 0x64 ? P_RECEIVED : P_OTHER;
    default:
      return P_OTHER;
  }
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
    const kind = paramKind(s, nameStart, nameEnd);
    i = skipWspBytes(s, end, i);
    let valueStart = -1;
    let valueEnd = -1;
    if (i < end && s[i]! === 0x3d) {
      i = skipWspBytes(s, end, i + 1);
      valueStart = i;
      if (i < end && s[i]! === 0x22) {
        i = skipQuotedBytes(s, i, end);
        if (i < 0) return false;
      } else {
        while (i < end && PARAM_VALUE[s[i]!] === 1) i++;
        if (i === valueStart) return false;
      }
      valueEnd = i;
      i = skipWspBytes(s, end, i);
    }
    // The first occurrence wins (one without a value, null, may still be replaced by a later one).
    if (kind === P_OTHER) continue;
    const value = valueStart < 0 ? null : text.slice(valueStart, valueEnd);
    switch (kind) {
      case P_TAG: out.tag ??= value; break;
      case P_RPORT: out.rport ??= value; break;
      case P_BRANCH: out.branch ??= value; break;
      default: out.received ??= value; break;
    }
  }
  out.end = i;
  return true;
}

const builtParams = new WeakMap<object, SipParams>();

/**
 * The parameter map of `owner` (a ViaHop or NameAddr) from its paramsText, built on first use and
 * kept in a WeakMap beside the object: an instance with a private field costs about 5 ns more to
 * create, and few callers read params.
 */
export function lazyParamMap(owner: object, text: string): SipParams {
  let p = builtParams.get(owner);
  if (p === undefined) {
    p = paramMap(text);
    builtParams.set(owner, p);
  }
  return p;
}

/** Build the parameter map from text already accepted by scanParamsBytes (first occurrence wins). */
function paramMap(text: string): SipParams {
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

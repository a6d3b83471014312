// name-addr / addr-spec with header parameters (From, To, Route, Contact; RFC 3261 §20.10, §25.1).

import { NAME_ADDR_URI, TOKEN, isWsp, schemeLengthBytes, skipWspBytes } from './chars.ts';
import { lazyParamMap, scanParamsBytes, skipQuotedBytes } from './params.ts';
import type { ParamScan, SipParams } from './params.ts';

/** A parsed name-addr or addr-spec and its header parameters. */
export class NameAddr {
  /** Display name, unquoted and unescaped; undefined when absent. */
  displayName: string | undefined;
  /** The URI as written (without angle brackets). */
  uri: string;
  tag: string | undefined;
  /** The parameters as written after the URI (`;tag=1;x=y`), possibly empty. */
  paramsText: string;

  constructor(displayName: string | undefined, uri: string, tag: string | undefined, paramsText: string) {
    this.displayName = displayName;
    this.uri = uri;
    this.tag = tag;
    this.paramsText = paramsText;
  }

  /** Header parameters (after the URI), tag included; built on first use. */
  get params(): SipParams {
    return lazyParamMap(this, this.paramsText);
  }
}

const scan: ParamScan = { end: 0, tag: undefined, branch: undefined, received: undefined, rport: undefined };

/** Unquote and unescape the quoted-string s[a..b) (quotes included). */
function unquote(s: string, a: number, b: number): string {
  const inner = s.slice(a + 1, b - 1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner.charCodeAt(i) === 0x5c) i++;
    out += inner[i] ?? '';
  }
  return out;
}

/** Scan a display name made of tokens and whitespace; returns the index of '<' or -1. */
function tokensBeforeAngle(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]!;
    if (c === 0x3c) return i;
    if (TOKEN[c] !== 1 && !isWsp(c)) return -1;
    i++;
  }
  return -1;
}

function validUriText(b: Uint8Array, start: number, end: number): boolean {
  if (end <= start) return false;
  const n = schemeLengthBytes(b, start, end);
  if (n === 0 || start + n >= end) return false;
  for (let i = start + n; i < end; i++) if (NAME_ADDR_URI[b[i]!] === 0) return false;
  return true;
}

/** Where the last parseNameAddr stopped (at ',' in a list, else the end). */
let stoppedAt = 0;

/**
 * Parse one name-addr or addr-spec with parameters starting at i, scanning the bytes b of the
 * latin1 text s (b[k] is s.charCodeAt(k)). In a list, stops at ',' (left for the caller, see
 * stoppedAt); otherwise the value must end there. Null on a syntax error.
 */
function parseNameAddrAt(b: Uint8Array, s: string, i: number, end: number, inList: boolean): NameAddr | null {
  i = skipWspBytes(b, end, i);
  if (i >= end) return null;
  let displayName: string | undefined;
  let angle = -1;
  const c = b[i]!;
  if (c === 0x22) {
    const q = skipQuotedBytes(b, i, end);
    if (q < 0) return null;
    displayName = unquote(s, i, q);
    i = skipWspBytes(b, end, q);
    if (i >= end || b[i]! !== 0x3c) return null;
    angle = i;
  } else if (c === 0x3c) {
    angle = i;
  } else {
    const lt = tokensBeforeAngle(b, i, end);
    if (lt > i) {
      let e = lt;
      while (isWsp(b[e - 1]!)) e--;
      displayName = s.slice(i, e);
      angle = lt;
    }
  }
  let uri: string;
  if (angle >= 0) {
    // The URI runs to the first char a URI cannot hold, which must be the '>' (scheme chars are
    // all URI chars, so this is validUriText up to the first '>').
    let gt = angle + 1;
    while (gt < end && NAME_ADDR_URI[b[gt]!] === 1) gt++;
    if (gt >= end || b[gt]! !== 0x3e) return null;
    const n = schemeLengthBytes(b, angle + 1, gt);
    if (n === 0 || angle + 1 + n >= gt) return null;
    uri = s.slice(angle + 1, gt);
    i = gt + 1;
  } else {
    const start = i;
    while (i < end) {
      const ch = b[i]!;
      if (ch === 0x3b || ch === 0x2c || ch === 0x20 || ch === 0x09) break;
      i++;
    }
    if (!validUriText(b, start, i)) return null;
    uri = s.slice(start, i);
  }
  const paramsStart = i;
  if (!scanParamsBytes(b, s, i, end, scan)) return null;
  i = scan.end;
  if (i < end && !(inList && b[i]! === 0x2c)) return null;
  stoppedAt = i;
  const tag = scan.tag ?? undefined;
  let pEnd = i;
  while (pEnd > paramsStart && isWsp(b[pEnd - 1]!)) pEnd--;
  let pStart = paramsStart;
  while (pStart < pEnd && isWsp(b[pStart]!)) pStart++;
  return new NameAddr(displayName, uri, tag, pStart === pEnd ? '' : s.slice(pStart, pEnd));
}

/** Parse a single name-addr header value (From, To) in b[start..end); s is the latin1 text of b. */
export function parseSingleNameAddrBytes(b: Uint8Array, s: string, start: number, end: number): NameAddr | null {
  return parseNameAddrAt(b, s, start, end, false);
}

/** Parse a single name-addr header value (From, To) given as latin1 text. */
export function parseSingleNameAddr(s: string): NameAddr | null {
  return parseNameAddrAt(Buffer.from(s, 'latin1'), s, 0, s.length, false);
}

/**
 * Parse a comma-separated list of name-addrs (Route, Record-Route, Contact) in b[start..end),
 * adding them to out. Returns the list (a new one when out is undefined, the first entry in an
 * array of one), or null on a syntax error.
 */
export function parseNameAddrList(
  b: Uint8Array, s: string, out: NameAddr[] | undefined, start: number, end: number,
): NameAddr[] | null {
  let i = start;
  for (;;) {
    const na = parseNameAddrAt(b, s, i, end, true);
    if (na === null) return null;
    if (out === undefined) out = [na];
    else out.push(na);
    if (stoppedAt >= end) return out;
    i = stoppedAt + 1; // past the ','
  }
}

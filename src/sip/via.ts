// Via header values (RFC 3261 §20.42): sent-protocol, sent-by and via-params, comma lists.

import { HOSTNAME, TOKEN, isDigit, isWsp, skipWspBytes } from './chars.ts';
import { MAX_VIA_HOPS } from './limits.ts';
import { lazyParamMap, scanParamsBytes } from './params.ts';
import type { ParamScan, SipParams } from './params.ts';

/** One Via hop. */
export class ViaHop {
  /** Transport upper-cased: UDP, TCP, TLS, SCTP, WS, ... */
  transport: string;
  /** Host as written: hostname, IPv4 or IPv6 reference with brackets. */
  host: string;
  port: number | undefined;
  branch: string | undefined;
  received: string | undefined;
  /** undefined: absent; null: present without value (a request for rport); else the value. */
  rport: string | null | undefined;
  /** The parameters as written after sent-by (`;branch=z9hG4bK1;rport`), possibly empty. */
  paramsText: string;

  constructor(
    transport: string, host: string, port: number | undefined, branch: string | undefined,
    received: string | undefined, rport: string | null | undefined, paramsText: string,
  ) {
    this.transport = transport;
    this.host = host;
    this.port = port;
    this.branch = branch;
    this.received = received;
    this.rport = rport;
    this.paramsText = paramsText;
  }

  /** All via-params, lowercase names; built on first use. */
  get params(): SipParams {
    return lazyParamMap(this, this.paramsText);
  }
}

const scan: ParamScan = { end: 0, tag: undefined, branch: undefined, received: undefined, rport: undefined };

/** Index after a '/' with optional whitespace around it at i, or -1. */
function slash(s: Uint8Array, i: number, end: number): number {
  i = skipWspBytes(s, end, i);
  if (i >= end || s[i]! !== 0x2f) return -1;
  return skipWspBytes(s, end, i + 1);
}

function transportName(s: Uint8Array, text: string, a: number, b: number): string {
  if (b - a === 3) {
    const c0 = s[a]! | 0x20;
    const c1 = s[a + 1]! | 0x20;
    const c2 = s[a + 2]! | 0x20;
    if (c1 === 0x64 && c2 === 0x70 && c0 === 0x75) return 'UDP';
    if (c1 === 0x63 && c2 === 0x70 && c0 === 0x74) return 'TCP';
    if (c1 === 0x6c && c2 === 0x73 && c0 === 0x74) return 'TLS';
  }
  return text.slice(a, b).toUpperCase();
}

/** Where the last parseHop stopped. */
let stoppedAt = 0;

function parseHop(s: Uint8Array, text: string, i: number, end: number): ViaHop | null {
  i = skipWspBytes(s, end, i);
  if (end - i < 11) return null; // shortest: "SIP/2.0/T h"
  // "SIP" / "2.0" / transport, with optional whitespace around the slashes
  if ((s[i]! | 0x20) !== 0x73 || (s[i + 1]! | 0x20) !== 0x69 ||
    (s[i + 2]! | 0x20) !== 0x70) {
    return null;
  }
  i = slash(s, i + 3, end);
  if (i < 0 || i + 3 > end || s[i]! !== 0x32 || s[i + 1]! !== 0x2e || s[i + 2]! !== 0x30) {
    return null;
  }
  i = slash(s, i + 3, end);
  if (i < 0) return null;
  const tStart = i;
  while (i < end && TOKEN[s[i]!] === 1) i++;
  if (i === tStart) return null;
  const transport = transportName(s, text, tStart, i);
  if (i >= end || !isWsp(s[i]!)) return null; // LWS required before sent-by
  i = skipWspBytes(s, end, i);
  const hStart = i;
  if (i < end && s[i]! === 0x5b) {
    const close = text.indexOf(']', i);
    if (close < 0 || close >= end || close === i + 1) return null;
    for (let j = i + 1; j < close; j++) {
      const c = s[j]!;
      const hex = isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
      if (!hex && c !== 0x3a && c !== 0x2e) return null;
    }
    i = close + 1;
  } else {
    while (i < end && HOSTNAME[s[i]!] === 1) i++;
  }
  if (i === hStart) return null;
  const host = text.slice(hStart, i);
  let port: number | undefined;
  const p = skipWspBytes(s, end, i);
  if (p < end && s[p]! === 0x3a) {
    i = skipWspBytes(s, end, p + 1);
    const pStart = i;
    let n = 0;
    while (i < end && isDigit(s[i]!) && i - pStart < 6) {
      n = n * 10 + (s[i]! - 0x30);
      i++;
    }
    if (i === pStart || n > 65535) return null;
    port = n;
  }
  const paramsStart = skipWspBytes(s, end, i);
  if (!scanParamsBytes(s, text, i, end, scan)) return null;
  stoppedAt = scan.end;
  let pEnd = scan.end;
  while (pEnd > paramsStart && isWsp(s[pEnd - 1]!)) pEnd--;
  return new ViaHop(
    transport, host, port, scan.branch ?? undefined, scan.received ?? undefined, scan.rport,
    paramsStart === pEnd ? '' : text.slice(paramsStart, pEnd),
  );
}

/**
 * Parse one Via header value (possibly several comma-separated hops) from the wire bytes, adding
 * its hops to out: bytes[k] is text.charCodeAt(k) (text decoded as latin1, as parseMessage does).
 * Returns the list (a new one, sized to fit, when out is undefined or holds one hop), or null on
 * a syntax error or more than MAX_VIA_HOPS hops in all.
 */
export function parseViaBytes(
  bytes: Uint8Array, text: string, out: ViaHop[] | undefined, start: number, end: number,
): ViaHop[] | null {
  let i = start;
  for (;;) {
    if (out !== undefined && out.length >= MAX_VIA_HOPS) return null;
    const hop = parseHop(bytes, text, i, end);
    if (hop === null) return null;
    // Lists of one or two hops are the usual ones and kept for the message's life: exact size.
    if (out === undefined) out = [hop];
    else if (out.length === 1) out = [out[0]!, hop];
    else out.push(hop);
    i = stoppedAt;
    if (i >= end) return out;
    if (bytes[i] !== 0x2c) return null;
    i++;
  }
}

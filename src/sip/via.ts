// Via header values (RFC 3261 §20.42): sent-protocol, sent-by and via-params, comma lists.

import { HOSTNAME, TOKEN, isDigit, isWsp, skipWspTo } from './chars.ts';
import { MAX_VIA_HOPS } from './limits.ts';
import { paramMap, scanParams } from './params.ts';
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
  #params: SipParams | undefined;

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
    this.#params ??= paramMap(this.paramsText);
    return this.#params;
  }
}

const scan: ParamScan = { end: 0, tag: undefined, branch: undefined, received: undefined, rport: undefined };

/** Index after a '/' with optional whitespace around it at i, or -1. */
function slash(s: string, i: number, end: number): number {
  i = skipWspTo(s, end, i);
  if (i >= end || s.charCodeAt(i) !== 0x2f) return -1;
  return skipWspTo(s, end, i + 1);
}

function transportName(s: string, a: number, b: number): string {
  if (b - a === 3) {
    const c0 = s.charCodeAt(a) | 0x20;
    const c1 = s.charCodeAt(a + 1) | 0x20;
    const c2 = s.charCodeAt(a + 2) | 0x20;
    if (c1 === 0x64 && c2 === 0x70 && c0 === 0x75) return 'UDP';
    if (c1 === 0x63 && c2 === 0x70 && c0 === 0x74) return 'TCP';
    if (c1 === 0x6c && c2 === 0x73 && c0 === 0x74) return 'TLS';
  }
  return s.slice(a, b).toUpperCase();
}

/** Where the last parseHop stopped. */
let stoppedAt = 0;

function parseHop(s: string, i: number, end: number): ViaHop | null {
  i = skipWspTo(s, end, i);
  if (end - i < 11) return null; // shortest: "SIP/2.0/T h"
  // "SIP" / "2.0" / transport, with optional whitespace around the slashes
  if ((s.charCodeAt(i) | 0x20) !== 0x73 || (s.charCodeAt(i + 1) | 0x20) !== 0x69 ||
    (s.charCodeAt(i + 2) | 0x20) !== 0x70) {
    return null;
  }
  i = slash(s, i + 3, end);
  if (i < 0 || i + 3 > end || s.charCodeAt(i) !== 0x32 || s.charCodeAt(i + 1) !== 0x2e || s.charCodeAt(i + 2) !== 0x30) {
    return null;
  }
  i = slash(s, i + 3, end);
  if (i < 0) return null;
  const tStart = i;
  while (i < end && TOKEN[s.charCodeAt(i)] === 1) i++;
  if (i === tStart) return null;
  const transport = transportName(s, tStart, i);
  if (i >= end || !isWsp(s.charCodeAt(i))) return null; // LWS required before sent-by
  i = skipWspTo(s, end, i);
  const hStart = i;
  if (i < end && s.charCodeAt(i) === 0x5b) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end || close === i + 1) return null;
    for (let j = i + 1; j < close; j++) {
      const c = s.charCodeAt(j);
      const hex = isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
      if (!hex && c !== 0x3a && c !== 0x2e) return null;
    }
    i = close + 1;
  } else {
    while (i < end && HOSTNAME[s.charCodeAt(i)] === 1) i++;
  }
  if (i === hStart) return null;
  const host = s.slice(hStart, i);
  let port: number | undefined;
  const p = skipWspTo(s, end, i);
  if (p < end && s.charCodeAt(p) === 0x3a) {
    i = skipWspTo(s, end, p + 1);
    const pStart = i;
    let n = 0;
    while (i < end && isDigit(s.charCodeAt(i)) && i - pStart < 6) {
      n = n * 10 + (s.charCodeAt(i) - 0x30);
      i++;
    }
    if (i === pStart || n > 65535) return null;
    port = n;
  }
  const paramsStart = skipWspTo(s, end, i);
  if (!scanParams(s, i, end, scan)) return null;
  stoppedAt = scan.end;
  let pEnd = scan.end;
  while (pEnd > paramsStart && isWsp(s.charCodeAt(pEnd - 1))) pEnd--;
  return new ViaHop(
    transport, host, port, scan.branch ?? undefined, scan.received ?? undefined, scan.rport,
    paramsStart === pEnd ? '' : s.slice(paramsStart, pEnd),
  );
}

/** Parse one Via header value (possibly several comma-separated hops) into out. */
export function parseViaValue(s: string, out: ViaHop[], start = 0, end = s.length): boolean {
  let i = start;
  for (;;) {
    if (out.length >= MAX_VIA_HOPS) return false;
    const hop = parseHop(s, i, end);
    if (hop === null) return false;
    out.push(hop);
    i = stoppedAt;
    if (i >= end) return true;
    if (s.charCodeAt(i) !== 0x2c) return false;
    i++;
  }
}

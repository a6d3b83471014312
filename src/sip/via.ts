// Via header values (RFC 3261 §20.42): sent-protocol, sent-by and via-params, comma lists.

import { HOSTNAME, TOKEN, isDigit, skipWsp } from './chars.ts';
import { MAX_VIA_HOPS } from './limits.ts';
import type { ViaHop } from './message.ts';
import { parseParams } from './name-addr.ts';
import type { Cursor } from './name-addr.ts';

function expectChar(s: string, cur: Cursor, code: number): boolean {
  const i = skipWsp(s, cur.i);
  if (s.charCodeAt(i) !== code) return false;
  cur.i = skipWsp(s, i + 1);
  return true;
}

function parseHop(s: string, cur: Cursor): ViaHop | null {
  let i = skipWsp(s, cur.i);
  // protocol-name "SIP", then "/" "2.0" "/" transport, with optional LWS around the slashes.
  if (s.length < i + 3 || s.slice(i, i + 3).toUpperCase() !== 'SIP') return null;
  cur.i = i + 3;
  if (!expectChar(s, cur, 0x2f)) return null;
  i = cur.i;
  if (s.slice(i, i + 3) !== '2.0') return null;
  cur.i = i + 3;
  if (!expectChar(s, cur, 0x2f)) return null;
  i = cur.i;
  const tStart = i;
  while (i < s.length && TOKEN[s.charCodeAt(i)] === 1) i++;
  if (i === tStart) return null;
  const transport = s.slice(tStart, i).toUpperCase();
  const afterTransport = i;
  i = skipWsp(s, i);
  if (i === afterTransport) return null; // LWS required before sent-by
  const hStart = i;
  if (s.charCodeAt(i) === 0x5b) {
    const close = s.indexOf(']', i);
    if (close < 0) return null;
    for (let j = i + 1; j < close; j++) {
      const c = s.charCodeAt(j);
      const hex = isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
      if (!hex && c !== 0x3a && c !== 0x2e) return null;
    }
    i = close + 1;
  } else {
    while (i < s.length && HOSTNAME[s.charCodeAt(i)] === 1) i++;
  }
  if (i === hStart) return null;
  const host = s.slice(hStart, i);
  let port: number | undefined;
  const pc: Cursor = { i };
  if (expectChar(s, pc, 0x3a)) {
    i = pc.i;
    let p = 0;
    const pStart = i;
    while (i < s.length && isDigit(s.charCodeAt(i)) && i - pStart < 6) {
      p = p * 10 + (s.charCodeAt(i) - 0x30);
      i++;
    }
    if (i === pStart || p > 65535) return null;
    port = p;
  }
  const params = new Map<string, string | null>();
  const prm: Cursor = { i };
  if (!parseParams(s, prm, params)) return null;
  cur.i = prm.i;
  const branch = params.get('branch');
  const received = params.get('received');
  return {
    transport,
    host,
    port,
    params,
    branch: branch === null ? undefined : branch,
    received: received === null ? undefined : received,
    rport: params.get('rport'),
  };
}

/** Parse one Via header value (possibly several comma-separated hops) into out. */
export function parseViaValue(s: string, out: ViaHop[]): boolean {
  const cur: Cursor = { i: 0 };
  for (;;) {
    if (out.length >= MAX_VIA_HOPS) return false;
    const hop = parseHop(s, cur);
    if (hop === null) return false;
    out.push(hop);
    const i = skipWsp(s, cur.i);
    if (i >= s.length) return true;
    if (s.charCodeAt(i) !== 0x2c) return false;
    cur.i = i + 1;
  }
}

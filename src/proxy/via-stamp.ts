// RFC 3261 §18.2.1 and RFC 3581 §4: the top Via of a received request gets `received` (the source
// address, when it differs from sent-by or rport was asked for) and `rport=<source port>` when the
// sender asked for it, so responses sent along Via later reach the sender's real address.

import { headerKey } from '../sip/header-names.ts';
import type { SipHeader, ViaHop } from '../sip/message.ts';
import { splitList } from '../sip/split.ts';
import type { Peer } from './types.ts';

function unbracket(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** ASCII case-insensitive equality (hosts and addresses), without lowercase copies. */
function sameIgnoringCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && ((x | 0x20) !== (y | 0x20) || (x | 0x20) < 0x61 || (x | 0x20) > 0x7a)) return false;
  }
  return true;
}

/** The whitespace a regular expression's \s matches, in the Latin-1 range header values use. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

/**
 * Where the first bare `rport` parameter (no '=') sits: the index of its ';' and the index just
 * after "rport"; null when there is none. Same match as /;\s*rport(?=\s*(;|$))/i.
 */
function bareRport(v: string): [number, number] | null {
  const n = v.length;
  for (let i = v.indexOf(';'); i >= 0; i = v.indexOf(';', i + 1)) {
    let j = i + 1;
    while (j < n && isSpace(v.charCodeAt(j))) j++;
    if (
      j + 5 > n ||
      (v.charCodeAt(j) | 0x20) !== 0x72 || // r
      (v.charCodeAt(j + 1) | 0x20) !== 0x70 || // p
      (v.charCodeAt(j + 2) | 0x20) !== 0x6f || // o
      (v.charCodeAt(j + 3) | 0x20) !== 0x72 || // r
      (v.charCodeAt(j + 4) | 0x20) !== 0x74 // t
    ) continue;
    let k = j + 5;
    while (k < n && isSpace(v.charCodeAt(k))) k++;
    if (k === n || v.charCodeAt(k) === 0x3b) return [i, j + 5];
  }
  return null;
}

/** The first Via value rewritten with received/rport; null when nothing needs adding. */
function stamped(value: string, top: ViaHop, source: Peer): string | null {
  const askedRport = top.rport === null;
  const differs = !sameIgnoringCase(unbracket(top.host), source.address);
  if (!askedRport && !differs) return null;
  let v = value;
  if (askedRport) {
    // Replace the bare `rport` parameter (not followed by '=') with rport=<port>.
    const at = bareRport(v);
    if (at !== null) v = `${v.slice(0, at[0])};rport=${source.port}${v.slice(at[1])}`;
  }
  if (top.received === undefined) v += `;received=${source.address}`;
  return v;
}

/**
 * The new value of the first Via header line (its first hop stamped), or undefined when the
 * stamp changes nothing: what stampTopVia puts in place of that line.
 */
export function stampedFirstViaLine(headers: readonly SipHeader[], top: ViaHop | undefined, source: Peer): string | undefined {
  if (top === undefined) return undefined;
  for (const h of headers) {
    if (headerKey(h.name) !== 'via') continue;
    if (h.value.indexOf(',') < 0) return stamped(h.value, top, source) ?? undefined;
    const values = splitList(h.value);
    const first = values[0];
    const s = first === undefined ? null : stamped(first, top, source);
    if (s === null) return undefined;
    return values.length === 1 ? s : [s, ...values.slice(1)].join(', ');
  }
  return undefined;
}

export function stampTopVia(headers: readonly SipHeader[], top: ViaHop | undefined, source: Peer): SipHeader[] {
  const value = stampedFirstViaLine(headers, top, source);
  const out = headers.slice();
  if (value === undefined) return out;
  const at = out.findIndex((h) => headerKey(h.name) === 'via');
  out[at] = { name: out[at]!.name, value };
  return out;
}

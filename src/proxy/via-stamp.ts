// RFC 3261 §18.2.1 and RFC 3581 §4: the top Via of a received request gets `received` (the source
// address, when it differs from sent-by or rport was asked for) and `rport=<source port>` when the
// sender asked for it, so responses sent along Via later reach the sender's real address.

import { matchesLower, skipWsp } from '../sip/chars.ts';
import { headerKey } from '../sip/header-names.ts';
import type { SipHeader, ViaHop } from '../sip/message.ts';
import { splitList } from '../sip/split.ts';
import type { Peer } from './types.ts';

function unbracket(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * Where the first bare `rport` parameter (no '=') sits: the index of its ';' and the index just
 * after "rport"; null when there is none. As /;\s*rport(?=\s*(;|$))/i on what the parser accepts
 * in a Via (SP and HTAB its only whitespace there).
 */
function bareRport(v: string): [number, number] | null {
  for (let i = v.indexOf(';'); i >= 0; i = v.indexOf(';', i + 1)) {
    const j = skipWsp(v, i + 1);
    if (j + 5 > v.length || !matchesLower(v, j, 'rport')) continue;
    const k = skipWsp(v, j + 5);
    if (k === v.length || v.charCodeAt(k) === 0x3b) return [i, j + 5];
  }
  return null;
}

/** The first Via value rewritten with received/rport; null when nothing needs adding. */
function stamped(value: string, top: ViaHop, source: Peer): string | null {
  const askedRport = top.rport === null;
  // A source address comes from the socket, in lowercase; the Via host may be in any case.
  const sentBy = unbracket(top.host);
  const differs = sentBy.length !== source.address.length || !matchesLower(sentBy, 0, source.address);
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

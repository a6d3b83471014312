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

/** The first Via value rewritten with received/rport; null when nothing needs adding. */
function stamped(value: string, top: ViaHop, source: Peer): string | null {
  const askedRport = top.rport === null;
  const differs = unbracket(top.host).toLowerCase() !== source.address.toLowerCase();
  if (!askedRport && !differs) return null;
  let v = value;
  if (askedRport) {
    // Replace the bare `rport` parameter (not followed by '=') with rport=<port>.
    v = v.replace(/;\s*rport(?=\s*(;|$))/i, `;rport=${source.port}`);
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

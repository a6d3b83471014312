// Responses going back upstream (RFC 3261 §16.7 step 9, §18.2.2 with RFC 3581): our Via removed,
// and, when no server transaction remains, the destination taken from the next Via, honouring
// `received` and `rport`.

import type { SipResponse, ViaHop } from '../sip/message.ts';
import { withoutTopVia } from './header-edit.ts';
import type { Peer } from './types.ts';

export function stripTopVia(res: SipResponse): SipResponse {
  return { ...res, headers: withoutTopVia(res.headers), via: res.via.slice(1) };
}

/** Where a response is sent when only its Via tells (UDP: received/rport; TCP: sent-by or received). */
export function viaDestination(via: ViaHop): Peer | undefined {
  const t = via.transport.toUpperCase();
  if (t !== 'UDP' && t !== 'TCP') return undefined;
  let host = via.received ?? via.host;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  let port = via.port ?? 5060;
  if (typeof via.rport === 'string') {
    const n = Number(via.rport);
    if (Number.isInteger(n) && n > 0 && n < 65536) port = n;
  }
  return { transport: t === 'UDP' ? 'udp' : 'tcp', address: host, port };
}

/** Proxies do not pass 503 upstream (§16.7 step 6): it becomes 500. */
export function upstreamStatus(status: number): number {
  return status === 503 ? 500 : status;
}
